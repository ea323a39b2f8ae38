package io.azt3knet.mail.benchmarks;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.config.ProvisioningSettings;
import io.azt3knet.mail.test.fake.FakeMailjet;
import java.net.URI;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.mailjet.MailjetSettings;
import io.azt3knet.mail.mailjet.MailjetProvisioner;
import io.azt3knet.mail.provisioning.ProvisioningReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Throughput of population provisioning against a throttled, distant Mailjet: the fake Mailjet on 127.0.0.1
 * answers every call after a fixed latency and refuses calls beyond a limit per sliding second with a bare 429
 * (no {@code Retry-After}, as Mailjet does). The population is provisioned through {@link MailAutomation} with the
 * production {@link MailjetProvisioner} (its adaptive pacer and retry layer), and the run reports how close it
 * came to the ideal time, {@code calls needed / min(server limit, client rate)}, and that no route was duplicated
 * and no agent failed.
 *
 * <p>Run (after {@code ./mvnw -B -q package -DskipTests}):
 * <pre>
 * java -cp azt3knet-mail-benchmarks/target/benchmarks.jar io.azt3knet.mail.benchmarks.PopulationLoadRun \
 *     [agents=200] [latencyMs=100] [serverLimit=40] [clientRequestsPerSecond=0] [windowSeconds=1]
 * </pre>
 * {@code clientRequestsPerSecond} 0 (the default) leaves {@code MAILJET_REQUESTS_PER_SECOND} unset: the client
 * discovers the pace. {@code windowSeconds} is the server's window: 1 for a limit per second, 60 with
 * {@code serverLimit} counted per minute. The targets of the adaptive pace, with the default configuration: 600
 * agents at 40/s and 200 agents at 10/s within 1.3 times the floor, the latter with 429s at most 10% of the
 * answered calls.
 * Exits with 1 if an agent failed or a route was duplicated. Not a test: timing depends on the machine.
 */
public final class PopulationLoadRun {

    private static final String DOMAIN = "agents.example.org";

    private PopulationLoadRun() {
    }

    /**
     * @param args agents, latency in ms, the server's limit per second, the client's target rate
     */
    public static void main(String[] args) {
        int agents = LoadRunArgs.integer(args, 0, 200);
        int latencyMs = LoadRunArgs.integer(args, 1, 100);
        int serverLimit = LoadRunArgs.integer(args, 2, 40);
        int clientRate = LoadRunArgs.integer(args, 3, 0);
        int windowSeconds = LoadRunArgs.integer(args, 4, 1);
        if (agents < 1 || agents > 100_000 || latencyMs < 0 || serverLimit < 1 || clientRate < 0 || windowSeconds < 1) {
            System.err.println("usage: PopulationLoadRun [agents 1..100000] [latencyMs >= 0] [serverLimit >= 1]"
                    + " [clientRequestsPerSecond >= 0, 0 = discovered] [windowSeconds >= 1]");
            System.exit(2);
        }
        FakeMailjet fake = new FakeMailjet();
        fake.startServer();
        try {
            fake.latency(Duration.ofMillis(latencyMs));
            fake.rateLimit(serverLimit, Duration.ofSeconds(windowSeconds));
            System.exit(run(fake, agents, latencyMs, serverLimit / (double) windowSeconds, clientRate) ? 0 : 1);
        } finally {
            fake.stopServer();
        }
    }

    private static boolean run(FakeMailjet fake, int agents, int latencyMs, double serverLimit, int clientRate) {
        List<AgentIdentity> population = new ArrayList<>(agents);
        for (int i = 0; i < agents; i++) {
            population.add(AgentIdentity.of("Agent" + i, "Load").withId(String.format(Locale.ROOT, "agent-%05d", i + 1)));
        }
        MailjetSettings.Builder settings = MailjetSettings.builder(FakeMailjet.KEY, Secret.of(FakeMailjet.SECRET))
                .apiUrl(fake.baseUrl())
                .inboundUrl(URI.create("https://hooks.example.org/mailjet/inbound"));
        if (clientRate > 0) {
            settings.requestsPerSecond(clientRate);
        }
        MailjetProvisioner provisioner = MailjetProvisioner.builder(settings.build()).build();
        long start = System.nanoTime();
        ProvisioningReport report;
        int callsBefore;
        try (MailAutomation mail = MailAutomation.builder().settings(ProvisioningSettings.of(DOMAIN))
                .provisioner(provisioner).build()) {
            mail.provisioner().prepareDomain(DOMAIN);
            callsBefore = fake.calls() - fake.throttled();
            report = mail.provision(population,
                    mail.newNamer(42, Clock.fixed(Instant.parse("2024-10-05T12:30:45Z"), ZoneOffset.UTC)),
                    (outcome, done, total) -> { });
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        int calls = fake.calls();
        int throttled = fake.throttled();
        int needed = calls - throttled;
        double rate = clientRate > 0 ? Math.min(serverLimit, clientRate) : serverLimit;
        double ideal = needed / (double) rate;
        double provisioning = report.duration().toMillis() / 1000.0;
        double provisioningIdeal = (needed - callsBefore) / (double) rate;
        int duplicates = fake.duplicateRouteAddresses().size();
        int failed = report.failures().size();
        System.out.printf(Locale.ROOT, "agents %d, latency %d ms, server limit %.2f/s, client rate %s, concurrency 16%n",
                agents, latencyMs, serverLimit, clientRate > 0 ? clientRate + "/s (ceiling)" : "unset (discovered)");
        System.out.printf(Locale.ROOT, "calls made        %d (%d answered, %d throttled with 429 = %.1f%% of answered)%n",
                calls, needed, throttled, 100.0 * throttled / needed);
        System.out.printf(Locale.ROOT, "whole run         %.2f s, floor %.2f s (%d answered calls / %.2f per second), ratio %.2f%n",
                elapsed, ideal, needed, rate, elapsed / ideal);
        System.out.printf(Locale.ROOT, "provisioning      %.2f s, floor %.2f s (%d answered calls / %.2f per second), ratio %.2f%n",
                provisioning, provisioningIdeal, needed - callsBefore, rate, provisioning / provisioningIdeal);
        System.out.printf(Locale.ROOT, "routes            %d for %d agents; duplicates %d; failed agents %d%n",
                fake.routeCount(), agents, duplicates, failed);
        System.out.println("report            " + report.summary());
        report.failures().stream().limit(5).forEach(f -> System.out.println("  failed " + f.agent().id() + ": " + f.reason()));
        return duplicates == 0 && failed == 0;
    }
}
