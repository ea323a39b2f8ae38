package io.azt3knet.mail.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;

/**
 * The discovered pace against simulated providers: one caller, a fake clock that the pacer's sleeps advance, and
 * a server that accepts a number of calls per sliding window and answers a bare 429 beyond it (throttled calls do
 * not count, as with the fake Mailjet).
 */
class CubicPacerTest {

    private static final HttpRequestSpec CALL = HttpRequestSpec.get("/v3/REST/parseroute");

    /** A run against one simulated server. */
    private static final class Simulation {
        private final int limit;
        private final long windowNanos;
        private final long latencyNanos;
        private final ArrayDeque<Long> accepted = new ArrayDeque<>();
        long now;
        final CubicPacer pacer = new CubicPacer(1000, () -> now, nanos -> now += Math.max(nanos, 1));
        int answered;
        int refused;
        int longestRefusalRun;
        final java.util.List<Integer> runs = new java.util.ArrayList<>();

        private final java.util.Random random = new java.util.Random(42);
        double randomRefusals;

        Simulation(int limit, Duration window, Duration latency) {
            this.limit = limit;
            this.windowNanos = window.toNanos();
            this.latencyNanos = latency.toNanos();
        }

        /** Calls until this many were answered (bounded in simulated time too). */
        Simulation until(int answers) {
            int run = 0;
            long deadline = now + Duration.ofHours(2).toNanos();
            while (answered < answers && now < deadline) {
                pacer.acquire(CALL);
                while (!accepted.isEmpty() && now - accepted.peekFirst() >= windowNanos) {
                    accepted.removeFirst();
                }
                boolean ok = accepted.size() < limit && random.nextDouble() >= randomRefusals;
                if (ok) {
                    accepted.addLast(now);
                }
                now += latencyNanos;
                pacer.onResponse(CALL, ok ? 200 : 429);
                if (ok) {
                    answered++;
                    if (run > 0) {
                        runs.add(run);
                    }
                    run = 0;
                } else {
                    refused++;
                    longestRefusalRun = Math.max(longestRefusalRun, ++run);
                }
            }
            return this;
        }

        double seconds() {
            return now / 1e9;
        }

        double refusedShare() {
            return refused / (double) answered;
        }
    }

    @Test
    void findsALimitPerSecondWithFewRefusalsAndNeverTakesItForAQuota() {
        Simulation s = new Simulation(10, Duration.ofSeconds(1), Duration.ofMillis(20)).until(600);

        assertThat(s.refusedShare()).isLessThanOrEqualTo(0.05);
        assertThat(s.longestRefusalRun).as("a window per second frees within the second").isLessThanOrEqualTo(3);
        assertThat(s.seconds()).isLessThanOrEqualTo(1.2 * 600 / 10.0);
    }

    @Test
    void spreadsAQuotaPerMinuteOverTheWindowOnceItHasMetItsWall() {
        // 120 calls per sliding minute: the first 120 go at once, then 2/s is the most anyone gets
        Simulation s = new Simulation(120, Duration.ofMinutes(1), Duration.ofMillis(20)).until(600);

        assertThat(s.runs.get(0)).as("the first wall: the refusals found it, then a few probes")
                .isLessThanOrEqualTo(20);
        assertThat(s.runs.subList(1, s.runs.size())).as("no burst into a later window: it was learned")
                .allSatisfy(run -> assertThat(run).isLessThanOrEqualTo(4));
        assertThat(s.refused - s.runs.get(0)).as("429s after the first wall, over four more windows")
                .isLessThanOrEqualTo(10);
        assertThat(s.refusedShare()).isLessThanOrEqualTo(0.05);
        assertThat(s.pacer.currentRate()).isBetween(1.0, 3.0);
        assertThat(s.seconds()).as("the ideal for a paced client: the first wall, then 480 calls at 2/s")
                .isLessThanOrEqualTo(1.1 * (60 + 480 / 2.0));
    }

    @Test
    void probesAQuotaThatStaysSpentWithWaitsThatGrowToTheCap() {
        Simulation s = new Simulation(0, Duration.ofHours(1), Duration.ofMillis(20));
        s.until(1); // bounded by its own two hours of simulated time: nothing is ever answered

        // probes every 8 s at most once walled, instead of a 429 at the floor pace of one call every 5 s
        assertThat(s.refused).isBetween((int) (2 * 3600 / CubicPacer.MAX_PROBE_SECONDS), 2 * 3600 / 6);
        assertThat(s.pacer.currentRate()).isEqualTo(1.0 / CubicPacer.MAX_PROBE_SECONDS);
    }

    @Test
    void scatteredRefusalsWithoutAQuotaAreNotTakenForOneAndDoNotRatchetThePaceDown() {
        // no limit at all, but 30 % of the calls answered 429 at random: runs of five 429s spanning a second happen,
        // and when they were taken for walls, each taught a lower "quota" (7,200 s and more for these 3,000 calls;
        // the pacer before quotas were learned needed 2,150 s)
        Simulation s = new Simulation(Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ofMillis(20));
        s.randomRefusals = 0.3;
        s.until(3000);

        assertThat(s.answered).isEqualTo(3000);
        assertThat(s.seconds()).isLessThanOrEqualTo(2500);
        assertThat(s.pacer.currentRate()).isGreaterThan(5 * CubicPacer.FLOOR);
    }
}
