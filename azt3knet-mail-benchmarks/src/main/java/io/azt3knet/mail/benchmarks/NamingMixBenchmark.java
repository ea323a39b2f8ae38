package io.azt3knet.mail.benchmarks;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.naming.MailboxNamer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Names per second, on one thread, for populations of one script mix: each invocation names a fresh population
 * of {@value #POPULATION} agents (a fresh namer, so that its memory of used addresses grows as in a real run),
 * with the clock moving on one second every 1,000 names as in a fast population build.
 *
 * <ul>
 *   <li>{@code ascii}: English names;</li>
 *   <li>{@code accentedLatin}: Latin names with diacritics and special letters (NFKD, folds);</li>
 *   <li>{@code cyrillic}: Russian and Ukrainian names (built-in romanization);</li>
 *   <li>{@code cjk}: Chinese, Japanese and Korean names (ICU's {@code Any-Latin});</li>
 *   <li>{@code cjkRare}: Chinese names of ideographs drawn at random from 20,902, so that nearly every
 *       component is new to the namer's memo of folded names: the cost of ICU's {@code Any-Latin} itself;</li>
 *   <li>{@code realistic}: a mixed population: 60 % ASCII, 20 % accented Latin, 8 % Cyrillic, 7 % CJK,
 *       5 % Greek and Arabic.</li>
 * </ul>
 *
 * <p>Each pool has 20 first and 20 last names, and the namer memoizes folded names, so every mix but
 * {@code cjkRare} measures names the namer has seen before (as in a real population, where a few thousand
 * names cover most people); {@code cjkRare} measures the other end.
 *
 * <p>Run: {@code java -jar azt3knet-mail-benchmarks/target/benchmarks.jar NamingMixBenchmark}; the score is names
 * per second per core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class NamingMixBenchmark {

    static final int POPULATION = 10_000;

    private static final String[][] ASCII = {
        {"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
            "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen"},
        {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
            "Hernandez", "Lopez", "Wilson", "Anderson", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson"}};
    private static final String[][] ACCENTED = {
        {"José", "María José", "Zoë", "Łukasz", "Søren", "François", "Jürgen", "Renée", "Ñusta", "Þóra", "Ægir",
            "Íñigo", "Gülşen", "Đorđe", "Małgorzata", "Ștefan", "Václav", "Günther", "Anaïs", "Björk"},
        {"García-Peña", "Müller", "Dvořák", "Wałęsa", "Ørsted", "Núñez", "Straße", "Lefèvre", "Öztürk", "Šimić",
            "Kowalczyk", "Håkansson", "Þórsdóttir", "Çelik", "Jiménez", "Ó Súilleabháin", "Brontë", "Ibáñez",
            "Łęcki", "Østergård"}};
    private static final String[][] CYRILLIC = {
        {"Анна", "Юлия", "Дмитрий", "Сергей", "Ольга", "Наталья", "Алексей", "Екатерина", "Михаил", "Татьяна",
            "Андрій", "Олена", "Євген", "Ірина", "Богдан", "Світлана", "Владимир", "Ксения", "Игорь", "Мария"},
        {"Иванова", "Жукова", "Хрущёв", "Смирнов", "Кузнецова", "Попов", "Васильев", "Петрова", "Соколов",
            "Михайлова", "Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Щербаков", "Волкова", "Фёдоров",
            "Морозова", "Лебедев", "Новикова"}};
    private static final String[][] CJK = {
        {"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "さくら", "はると", "翔太", "陽菜", "민준",
            "서연", "지훈", "하은", "美咲", "大翔"},
        {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "佐藤", "鈴木", "高橋", "田中", "渡辺",
            "김", "이", "박", "최", "정"}};
    private static final String[][] OTHER = {
        {"Γιώργος", "Μαρία", "Δημήτρης", "Ελένη", "محمد", "فاطمة", "أحمد", "عائشة"},
        {"Παπαδόπουλος", "Παπαδοπούλου", "Οικονόμου", "Ευαγγέλου", "العلي", "حسن", "الخطيب", "منصور"}};

    /** Which population. */
    @Param({"ascii", "accentedLatin", "cyrillic", "cjk", "cjkRare", "realistic"})
    public String mix;

    private List<AgentIdentity> agents;

    /** Builds the population once per trial: names are drawn from the pools by a seeded random. */
    @Setup
    public void population() {
        agents = population(mix, POPULATION);
    }

    /**
     * @param mix one of the {@link #mix} values
     * @param size number of agents
     * @return the population, the same for the same arguments
     */
    static List<AgentIdentity> population(String mix, int size) {
        SplittableRandom random = new SplittableRandom(42);
        List<AgentIdentity> agents = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            if (mix.equals("cjkRare")) {
                agents.add(AgentIdentity.of(rareHan(random, 2), rareHan(random, 1 + random.nextInt(2))));
                continue;
            }
            String[][] pool = switch (mix) {
                case "ascii" -> ASCII;
                case "accentedLatin" -> ACCENTED;
                case "cyrillic" -> CYRILLIC;
                case "cjk" -> CJK;
                case "realistic" -> realisticPool(random.nextInt(100));
                default -> throw new IllegalArgumentException("unknown mix " + mix);
            };
            agents.add(AgentIdentity.of(pick(pool[0], random), pick(pool[1], random)));
        }
        return agents;
    }

    /** Ideographs drawn from the 20,902 of U+4E00..U+9FA5: a name the namer has almost surely not seen before. */
    private static String rareHan(SplittableRandom random, int length) {
        StringBuilder name = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            name.append((char) random.nextInt(0x4E00, 0x9FA6));
        }
        return name.toString();
    }

    private static String[][] realisticPool(int percentile) {
        if (percentile < 60) {
            return ASCII;
        } else if (percentile < 80) {
            return ACCENTED;
        } else if (percentile < 88) {
            return CYRILLIC;
        } else if (percentile < 95) {
            return CJK;
        }
        return OTHER;
    }

    private static String pick(String[] pool, SplittableRandom random) {
        return pool[random.nextInt(pool.length)];
    }

    /**
     * @param bh sink
     * @return the last address
     */
    @Benchmark
    @OperationsPerInvocation(POPULATION)
    public MailboxAddress namePopulation(Blackhole bh) {
        MailboxNamer namer = MailboxNamer.standard().domain("agents.example.org").seed(42).clock(new TickingClock())
                .build();
        MailboxAddress last = null;
        for (AgentIdentity agent : agents) {
            last = namer.name(agent);
            bh.consume(last);
        }
        return last;
    }

    /** A clock that advances one second every 1,000 readings, like a fast population build. */
    static final class TickingClock extends Clock {
        private final Instant start = Instant.parse("2024-10-05T12:30:45Z");
        private long reads;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return start.plusSeconds(reads++ / 1000);
        }
    }
}
