package io.azt3knet.mail.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code populate --create-mailboxes} killed ({@code SIGKILL}) at seeded random points while Mailjet fails a share
 * of its calls (500s, 502 pages, connections dropped before or after the fake acted), then run again: the re-run
 * completes, and every agent has exactly one route. The fake lives in this JVM, so its routes outlive each process.
 */
class PopulateCrashAndRerunIT {

    private static final int AGENTS = 40;
    private static final int KILLS = 3;
    private static final long SEED = 20_241_005L;

    @TempDir
    Path dir;

    @Test
    void killedRunsWithFaultsLeaveNoDuplicateAndTheRerunCompletesWithOneRoutePerAgent() {
        try (FaultyMailjet mailjet = new FaultyMailjet()) {
            mailjet.fake.latency(Duration.ofMillis(20)); // a distant API: the run lasts long enough to be cut
            // MAILJET_REQUESTS_PER_SECOND unset: the discovered pace starts slowly, as a user's first run does
            JarProcess cli = JarProcess.in(dir, mailjet.env(Map.of()));
            String[] populate = {"populate", "--count", Integer.toString(AGENTS), "--country", "DE", "--seed", "42",
                "--at", "2024-10-05T12:30:45Z", "--create-mailboxes"};
            Random random = new Random(SEED);
            mailjet.faults(0.3, SEED);

            List<Integer> routesAfterKill = new ArrayList<>();
            for (int starts = 0; routesAfterKill.size() < KILLS; starts++) {
                assertThat(starts).as("runs started to get %d kills midway", KILLS).isLessThan(3 * KILLS);
                int before = mailjet.fake.routeCount();
                // a seeded point: once some more routes exist, plus a random fraction of a request
                int target = before + 1 + random.nextInt(Math.max(1, (AGENTS - 8 - before) / 2));
                JarProcess.Run run = cli.start(populate);
                boolean endedByItself;
                try {
                    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
                    while (mailjet.fake.routeCount() < target && run.isAlive() && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    Thread.sleep(random.nextInt(60));
                    endedByItself = !run.isAlive();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                } finally {
                    run.kill();
                }
                assertThat(mailjet.fake.duplicateRouteAddresses()).as("after run %d", starts + 1).isEmpty();
                if (endedByItself) {
                    // the faults can end a run early (e.g. five failed listings in a row): then it reports and exits 1
                    assertThat(run.awaitExit(Duration.ofSeconds(1)).exitCode()).as(run.err()).isEqualTo(1);
                    continue;
                }
                assertThat(mailjet.fake.routeCount()).as("killed midway: %s", run.err()).isGreaterThanOrEqualTo(target)
                        .isLessThan(AGENTS);
                routesAfterKill.add(mailjet.fake.routeCount());
            }
            assertThat(mailjet.faultsServed()).as("faults served while the killed runs worked").isPositive();
            mailjet.faults(0.05, SEED + 1); // the re-run meets faults too, fewer: it must still finish every agent

            JarProcess.Result rerun = cli.run(populate);

            assertThat(rerun.exitCode()).as(rerun.toString() + "\nroutes after each kill: "
                    + routesAfterKill).isZero();
            List<String> lines = rerun.outLines();
            assertThat(lines).as(rerun.toString()).hasSize(AGENTS)
                    .allMatch(l -> l.matches("agent-\\d{5}  (CREATED|ALREADY_EXISTED) +\\S+@agents\\.example\\.org  smtp .*"));
            assertThat(rerun.err()).contains("0 failed");
            assertThat(mailjet.fake.routeCount()).isEqualTo(AGENTS);
            assertThat(mailjet.fake.duplicateRouteAddresses()).isEmpty();
            for (String line : lines) {
                String address = line.split(" +")[2];
                assertThat(mailjet.fake.routesFor(address)).as(address).hasSize(1);
            }
        }
    }
}
