package io.azt3knet.mail.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.NamingExhaustedException;
import io.azt3knet.mail.config.ProvisioningSettings;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StandardMailboxNamerTest {

    static final Instant AT = Instant.parse("2024-10-05T12:30:45Z");
    static final Clock CLOCK = Clock.fixed(AT, ZoneOffset.UTC);
    static final String DOMAIN = "agents.example.org";

    /** Input (first, last, username hint, id) and the exact address for seed 42 at {@link #AT}, in order. */
    static final List<String[]> GOLDEN = List.of(
            new String[] {"Jane", "Doe", "", "", "jane.doe.942.20241005123045@agents.example.org"},
            new String[] {"Zoë", "Ørsted-Müller", "", "agent-7", "zoe.orstedmuller.216.20241005123045@agents.example.org"},
            new String[] {"Jürgen", "Weiß", "", "", "jurgen.weiss.590.20241005123045@agents.example.org"},
            new String[] {"Łukasz", "Đoković", "", "", "lukasz.dokovic.150.20241005123045@agents.example.org"},
            new String[] {"Þórdís", "Æsa Œuvre", "", "", "thordis.aesaoeuvre.530.20241005123045@agents.example.org"},
            new String[] {"Юлия", "Жукова", "", "", "yuliya.zhukova.626.20241005123045@agents.example.org"},
            new String[] {"Никита", "Хрущёв", "", "", "nikita.khrushchev.554.20241005123045@agents.example.org"},
            new String[] {"Γιώργος", "Παπαδόπουλος", "", "", "giorgos.papadopoulos.708.20241005123045@agents.example.org"},
            new String[] {"Ευάγγελος", "Ευθυμίου", "", "", "evangelos.efthymiou.711.20241005123045@agents.example.org"},
            new String[] {"伟", "王", "", "", "wei.wang.120.20241005123045@agents.example.org"},
            new String[] {"太郎", "やまだ", "", "", "tailang.yamada.899.20241005123045@agents.example.org"},
            new String[] {"민준", "김", "", "", "minjun.gim.968.20241005123045@agents.example.org"},
            new String[] {"", "", "jdoe_42", "", "jdoe42.jdoe42.508.20241005123045@agents.example.org"},
            new String[] {"  ", "\r\n", "", "", "agent.agent.780.20241005123045@agents.example.org"},
            new String[] {"Maximilian-Alexander", "Wolfeschlegelsteinhausenbergerdorff", "", "",
                "maximilianalexan.wolfeschlegelste.220.20241005123045@agents.example.org"},
            new String[] {"a@b.c/\"x'\r\nBcc: evil@x", "O'Brien", "", "", "abcxbccevilx.obrien.917.20241005123045@agents.example.org"},
            new String[] {"ＪＡＮＥ", "ｄｏｅ①", "", "", "jane.doe1.400.20241005123045@agents.example.org"},
            new String[] {"İsmail", "Əliyev", "", "", "ismail.eliyev.854.20241005123045@agents.example.org"},
            new String[] {"Jane", "", "j.smith", "", "jane.jsmith.644.20241005123045@agents.example.org"});

    static StandardMailboxNamer namer(long seed) {
        return MailboxNamer.standard().domain(DOMAIN).seed(seed).clock(CLOCK).build();
    }

    static AgentIdentity agent(String[] row) {
        return new AgentIdentity(row[0], row[1], row[2], row[3]);
    }

    @Test
    void namesGoldenVectorsExactlyForAFixedSeedAndClock() {
        StandardMailboxNamer namer = namer(42);
        for (String[] row : GOLDEN) {
            assertThat(namer.name(agent(row)).value()).as("%s %s", row[0], row[1]).isEqualTo(row[4]);
        }
    }

    /** Values computed independently: {@code int.from_bytes(sha256(b"42:position:0").digest()[:8], "big") % 1000}. */
    @Test
    void pinsTheDigitFunction() {
        assertThat(StandardMailboxNamer.digits(42, "position:0")).isEqualTo(942);
        assertThat(StandardMailboxNamer.digits(42, "id:agent-7")).isEqualTo(216);
        assertThat(StandardMailboxNamer.digits(0, "id:a")).isEqualTo(320);
        assertThat(StandardMailboxNamer.digits(-1, "id:a")).isEqualTo(116);
        assertThat(StandardMailboxNamer.digits(Long.MIN_VALUE, "id:ä")).isEqualTo(428);
    }

    @Test
    void givesTheSameAddressesInEveryNamerWithTheSameSeed() {
        List<AgentIdentity> agents = GOLDEN.stream().map(StandardMailboxNamerTest::agent).toList();
        assertThat(namer(7).nameAll(agents)).isEqualTo(namer(7).nameAll(agents));
        assertThat(namer(7).nameAll(agents)).isNotEqualTo(namer(8).nameAll(agents));
    }

    @Test
    void keysAnAgentByItsIdWhateverItsPosition() {
        AgentIdentity withId = new AgentIdentity("Jane", "Doe", "", "agent-7");
        MailboxAddress first = namer(42).name(withId);
        StandardMailboxNamer later = namer(42);
        later.name(AgentIdentity.of("Someone", "Else"));
        later.name(AgentIdentity.of("Another", "One"));
        assertThat(later.name(withId)).isEqualTo(first);
        assertThat(first.localPart()).isEqualTo("jane.doe.216.20241005123045");
    }

    @Test
    void keysAnAgentWithoutIdByItsPosition() {
        StandardMailboxNamer namer = namer(42);
        namer.name(new AgentIdentity("Has", "Id", "", "x"));
        assertThat(namer.name(AgentIdentity.of("Jane", "Doe")).localPart())
                .isEqualTo("jane.doe." + String.format("%03d", StandardMailboxNamer.digits(42, "position:1"))
                        + ".20241005123045");
    }

    @Test
    void putsThePrefixLabelInFront() {
        StandardMailboxNamer namer = MailboxNamer.standard().domain(DOMAIN).seed(42).clock(CLOCK).prefix("az-1").build();
        assertThat(namer.name(AgentIdentity.of("Jane", "Doe")).value())
                .isEqualTo("az-1.jane.doe.942.20241005123045@agents.example.org");
    }

    @Test
    void takesDomainAndPrefixFromProvisioningSettings() {
        StandardMailboxNamer namer = StandardMailboxNamer.builder(new ProvisioningSettings("mail.example.org", "crew"))
                .seed(42).clock(CLOCK).build();
        assertThat(namer.name(AgentIdentity.of("Jane", "Doe")).value())
                .isEqualTo("crew.jane.doe.942.20241005123045@mail.example.org");
    }

    @Test
    void keepsTheLongestPossibleLocalPartWithinSixtyFourCharacters() {
        StandardMailboxNamer namer = MailboxNamer.standard().domain(DOMAIN).clock(CLOCK)
                .prefix("a".repeat(ProvisioningSettings.MAX_PREFIX_LENGTH)).build();
        MailboxAddress address = namer.name(AgentIdentity.of("x".repeat(40), "y".repeat(40)));
        assertThat(address.localPart()).hasSize(MailboxAddress.MAX_LOCAL_PART_LENGTH)
                .startsWith("aaaaaaaaaaa.xxxxxxxxxxxxxxxx.yyyyyyyyyyyyyyyy.");
    }

    @Test
    void refusesAPrefixTooLongForTheLocalPartLimitNamingTheVariable() {
        assertThatThrownBy(() -> MailboxNamer.standard().prefix("a".repeat(ProvisioningSettings.MAX_PREFIX_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AZT3KNET_AGENT_MAIL_PREFIX")
                .hasMessageContaining("at most 11 characters");
    }

    @Test
    void refusesAPrefixThatIsNotALabelNamingTheVariable() {
        assertThatThrownBy(() -> MailboxNamer.standard().prefix("a.b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("AZT3KNET_AGENT_MAIL_PREFIX must be lower-case letters");
    }

    @Test
    void needsADomain() {
        assertThatThrownBy(() -> MailboxNamer.standard().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("domain");
        assertThatThrownBy(() -> MailboxNamer.standard().domain("not a domain"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsTheClockInUtcWhateverItsZone() {
        Clock berlin = Clock.fixed(AT, ZoneId.of("Europe/Berlin"));
        StandardMailboxNamer namer = MailboxNamer.standard().domain(DOMAIN).clock(berlin).build();
        assertThat(namer.name(AgentIdentity.of("Jane", "Doe")).localPart()).endsWith(".20241005123045");
    }

    @Test
    void readsTheClockOncePerName() {
        MutableClock clock = new MutableClock(AT);
        StandardMailboxNamer namer = MailboxNamer.standard().domain(DOMAIN).clock(clock).build();
        namer.name(AgentIdentity.of("Jane", "Doe"));
        namer.name(AgentIdentity.of("", ""));
        assertThat(clock.reads.get()).isEqualTo(2);
    }

    @Test
    void refusesAClockBeyondYear9999() {
        StandardMailboxNamer namer = MailboxNamer.standard().domain(DOMAIN)
                .clock(Clock.fixed(Instant.parse("+10000-01-01T00:00:00Z"), ZoneOffset.UTC)).build();
        assertThatThrownBy(() -> namer.name(AgentIdentity.of("Jane", "Doe")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("9999");
    }

    @Test
    void neverLetsHeaderOrPathInjectionCharactersIntoAnAddress() {
        StandardMailboxNamer namer = namer(1);
        String[] hostile = {"a\r\nBcc: x@y", "../../etc/passwd", "\"quoted\" <x@y>", "a'b`c", "x\u0000y", "a\u2028b\u0085c",
            "=?utf-8?q?x?=", "a;b,c:d", "\\\\server\\share", "%0d%0aX", "<script>", "a\tb", "\u202Eevil"};
        for (String s : hostile) {
            MailboxAddress address = namer.name(new AgentIdentity(s, s, s, s));
            assertThat(address.localPart()).as(s).matches("[a-z0-9]+\\.[a-z0-9]+\\.[0-9]{3}\\.[0-9]{14}");
        }
    }

    @Test
    void givesAThousandIdenticalNamesInOneSecondDistinctAddressesAndRefusesTheNext() {
        StandardMailboxNamer namer = namer(42);
        Set<String> digits = new HashSet<>();
        for (int i = 0; i < CandidateCycle.SIZE; i++) {
            digits.add(namer.name(AgentIdentity.of("Jane", "Doe")).localPart().split("\\.")[2]);
        }
        assertThat(digits).hasSize(1000);
        assertThatThrownBy(() -> namer.name(AgentIdentity.of("Jane", "Doe")))
                .isInstanceOfSatisfying(NamingExhaustedException.class, e -> {
                    assertThat(e.baseName()).isEqualTo("jane.doe");
                    assertThat(e.second()).isEqualTo("20241005123045");
                })
                .hasMessageContaining("'jane.doe' at 20241005123045");
        assertThat(namer.name(AgentIdentity.of("Jane", "Roe")).localPart()).startsWith("jane.roe.");
    }

    @Test
    void namesEveryOneOfAThousandAgentsWithTheSameIdDistinctly() {
        StandardMailboxNamer namer = namer(42);
        AgentIdentity same = new AgentIdentity("Jane", "Doe", "", "dup");
        Set<MailboxAddress> addresses = new HashSet<>();
        for (int i = 0; i < CandidateCycle.SIZE; i++) {
            addresses.add(namer.name(same));
        }
        assertThat(addresses).hasSize(1000);
        assertThatThrownBy(() -> namer.name(same)).isInstanceOf(NamingExhaustedException.class);
    }

    @Test
    void triesTheNextDigitsOnCollisionAndStartsAfreshInTheNextSecond() {
        MutableClock clock = new MutableClock(AT);
        StandardMailboxNamer namer = MailboxNamer.standard().domain(DOMAIN).seed(42).clock(clock).build();
        AgentIdentity jane = new AgentIdentity("Jane", "Doe", "", "agent-7");
        assertThat(namer.name(jane).localPart()).isEqualTo("jane.doe.216.20241005123045");
        assertThat(namer.name(jane).localPart()).isEqualTo("jane.doe.217.20241005123045");
        clock.now = AT.plusSeconds(1);
        assertThat(namer.name(jane).localPart()).isEqualTo("jane.doe.216.20241005123046");
    }

    @Test
    void wrapsAroundFrom999To000() {
        StandardMailboxNamer namer = namer(0);
        String id = IntStream.range(0, 100_000).mapToObj(i -> "k" + i)
                .filter(k -> StandardMailboxNamer.digits(0, "id:" + k) == 999).findFirst().orElseThrow();
        AgentIdentity agent = new AgentIdentity("Jane", "Doe", "", id);
        assertThat(namer.name(agent).localPart()).startsWith("jane.doe.999.");
        assertThat(namer.name(agent).localPart()).startsWith("jane.doe.000.");
    }

    @Test
    void neverGivesOutAReservedAddress() {
        StandardMailboxNamer namer = namer(42);
        namer.reserve(List.of(
                MailboxAddress.parse("JANE.DOE.942.20241005123045@agents.example.org"),
                MailboxAddress.parse("jane.doe.943.20241005123045@agents.example.org"),
                MailboxAddress.parse("jane.doe.944.20241005123045@other.example.org")));
        assertThat(namer.name(AgentIdentity.of("Jane", "Doe")).localPart()).isEqualTo("jane.doe.944.20241005123045");
    }

    @Test
    void exhaustsWhenEveryCandidateIsReserved() {
        StandardMailboxNamer namer = namer(42);
        namer.reserve(IntStream.range(0, 1000)
                .mapToObj(i -> new MailboxAddress(String.format("jane.doe.%03d.20241005123045", i), DOMAIN))
                .collect(Collectors.toList()));
        assertThatThrownBy(() -> namer.name(AgentIdentity.of("Jane", "Doe"))).isInstanceOf(NamingExhaustedException.class);
        assertThat(namer.name(AgentIdentity.of("Jane", "Roe")).localPart()).startsWith("jane.roe.");
    }

    @Test
    void namesConcurrentlyWithoutEverGivingOutAnAddressTwice() throws Exception {
        StandardMailboxNamer namer = namer(42);
        int threads = 4;
        int perThread = 250;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<MailboxAddress>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<MailboxAddress> out = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        out.add(namer.name(AgentIdentity.of("Jane", "Doe")));
                        out.add(namer.name(AgentIdentity.of("Agent" + thread, "N" + i)));
                    }
                    return out;
                }));
            }
            start.countDown();
            List<MailboxAddress> all = new ArrayList<>();
            for (Future<List<MailboxAddress>> f : futures) {
                all.addAll(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(all).hasSize(2 * threads * perThread).doesNotHaveDuplicates();
            // the 1,000 identical names took exactly the 1,000 candidates, whatever the interleaving
            assertThat(all.stream().map(MailboxAddress::localPart).filter(l -> l.startsWith("jane.doe.")).count())
                    .isEqualTo(1000);
            assertThatThrownBy(() -> namer.name(AgentIdentity.of("Jane", "Doe"))).isInstanceOf(NamingExhaustedException.class);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A clock tests can move, counting how often it is read. */
    static final class MutableClock extends Clock {
        final AtomicInteger reads = new AtomicInteger();
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

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
            reads.incrementAndGet();
            return now;
        }
    }
}
