package io.azt3knet.mail.benchmarks;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.naming.MailboxNamer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of naming one agent in a population of 100,000: distinct names, and the worst case where every
 * agent has the same name (1,000 per second fill every candidate; the clock then moves on one second).
 * If collision handling were not O(1) amortized, the identical-names case would be hundreds of times slower.
 *
 * <p>Run: {@code java -jar azt3knet-mail-benchmarks/target/benchmarks.jar NamerBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NamerBenchmark {

    private static final int POPULATION = 100_000;
    private static final String[] FIRST = {"María José", "Jürgen", "Zoë", "Łukasz", "Анна", "Γιώργος", "Søren", "Aoife"};
    private static final String[] LAST = {"García-Peña", "Müller", "O'Brien", "Wałęsa", "Иванова", "Παπαδόπουλος", "Ørsted"};

    /** A clock that advances one second every 1,000 readings, like a fast population build. */
    private static final class TickingClock extends Clock {
        private final Instant start = Instant.parse("2024-10-05T12:30:45Z");
        private long reads;

        @Override
        public ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return start.plus(Duration.ofSeconds(reads++ / 1000));
        }
    }

    private MailboxNamer namer(Clock clock) {
        return MailboxNamer.standard().domain("agents.example.org").seed(42).clock(clock).build();
    }

    /**
     * @param bh sink
     * @return nothing
     */
    @Benchmark
    @OperationsPerInvocation(POPULATION)
    public MailboxAddress distinctNames(Blackhole bh) {
        MailboxNamer namer = namer(new TickingClock());
        MailboxAddress last = null;
        for (int i = 0; i < POPULATION; i++) {
            last = namer.name(new AgentIdentity(FIRST[i % FIRST.length], LAST[(i / FIRST.length) % LAST.length], "", ""));
            bh.consume(last);
        }
        return last;
    }

    /**
     * @param bh sink
     * @return nothing
     */
    @Benchmark
    @OperationsPerInvocation(POPULATION)
    public MailboxAddress identicalNames(Blackhole bh) {
        MailboxNamer namer = namer(new TickingClock());
        AgentIdentity same = AgentIdentity.of("Jane", "Doe");
        MailboxAddress last = null;
        for (int i = 0; i < POPULATION; i++) {
            last = namer.name(same);
            bh.consume(last);
        }
        return last;
    }
}
