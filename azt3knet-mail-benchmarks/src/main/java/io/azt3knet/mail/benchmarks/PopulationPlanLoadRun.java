package io.azt3knet.mail.benchmarks;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.config.ProvisioningSettings;
import io.azt3knet.mail.mailjet.MailjetProvisioner;
import io.azt3knet.mail.mailjet.MailjetSettings;
import io.azt3knet.mail.population.ManifestAgent;
import io.azt3knet.mail.population.ManifestFile;
import io.azt3knet.mail.population.PopulationManifest;
import io.azt3knet.mail.population.PopulationPlan;
import io.azt3knet.mail.population.RetirementReport;
import io.azt3knet.mail.provisioning.ProvisioningReport;
import io.azt3knet.mail.test.fake.FakeMailjet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the population lifecycle costs at the provider for a large population: a completed population of N agents
 * (routes already at the fake Mailjet on 127.0.0.1, manifest on disk) is planned, {@code drift} of its routes are
 * deleted behind the manifest's back and the manifest is re-applied, then {@code retire} agents are retired. Every
 * step reports the requests it made (exact) and its time (depends on the machine).
 *
 * <p>Run (after {@code ./mvnw -B -q package -DskipTests}):
 * <pre>
 * java -cp azt3knet-mail-benchmarks/target/benchmarks.jar io.azt3knet.mail.benchmarks.PopulationPlanLoadRun \
 *     [agents=10000] [drift=100] [retire=100] [latencyMs=0]
 * </pre>
 * Exits with 1 if a step did not do what it should. Not a test: timing depends on the machine.
 */
public final class PopulationPlanLoadRun {

    private static final String DOMAIN = "agents.example.org";
    private static final String SECRET = "inbound-secret-0123456789";

    private PopulationPlanLoadRun() {
    }

    /**
     * @param args agents, routes to delete behind the manifest's back, agents to retire, latency per call in ms
     */
    public static void main(String[] args) {
        int agents = LoadRunArgs.integer(args, 0, 10_000);
        int drift = LoadRunArgs.integer(args, 1, 100);
        int retire = LoadRunArgs.integer(args, 2, 100);
        int latencyMs = LoadRunArgs.integer(args, 3, 0);
        if (agents < 1 || agents > 100_000 || drift < 0 || retire < 0 || drift + retire > agents || latencyMs < 0) {
            System.err.println("usage: PopulationPlanLoadRun [agents 1..100000] [drift] [retire] [latencyMs]");
            System.exit(2);
        }
        FakeMailjet fake = new FakeMailjet();
        fake.startServer();
        Path dir;
        try {
            dir = Files.createTempDirectory("plan-load");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            fake.latency(Duration.ofMillis(latencyMs));
            System.exit(run(fake, dir, agents, drift, retire, latencyMs) ? 0 : 1);
        } finally {
            fake.stopServer();
        }
    }

    private static boolean run(FakeMailjet fake, Path dir, int size, int drift, int retire, int latencyMs) {
        MailjetSettings settings = MailjetSettings.builder(FakeMailjet.KEY, Secret.of(FakeMailjet.SECRET))
                .apiUrl(fake.baseUrl()).inboundUrl(URI.create("https://hooks.example.org/mailjet/inbound"))
                .inboundSecret(Secret.of(SECRET)).requestsPerSecond(1000).build();
        try (MailAutomation mail = MailAutomation.builder().settings(ProvisioningSettings.of(DOMAIN))
                .provisioner(MailjetProvisioner.builder(settings).build()).build()) {
            List<AgentIdentity> population = new ArrayList<>(size);
            for (int i = 1; i <= size; i++) {
                population.add(new AgentIdentity("Agent" + i, "Load", "", String.format(Locale.ROOT, "agent-%06d", i)));
            }
            long t = System.nanoTime();
            PopulationManifest pending = mail.extend(mail.newManifest(42, Instant.parse("2024-10-05T12:30:45Z")),
                    population);
            List<ManifestAgent> active = new ArrayList<>(size);
            for (ManifestAgent a : pending.agents()) {
                fake.addRoute(a.address().value(), "https://mailjet:" + SECRET + "@hooks.example.org/mailjet/inbound");
                active.add(a.withState(ManifestAgent.State.ACTIVE, a.changedAt()));
            }
            ManifestFile file = ManifestFile.create(dir.resolve("population.json"), pending.withAgents(active));
            long manifestBytes = Files.size(file.path());
            System.out.printf(Locale.ROOT, "population        %d agents, latency %d ms/call, manifest %d bytes (%.0f per"
                    + " agent), set up in %.2f s%n", size, latencyMs, manifestBytes, manifestBytes / (double) size,
                    seconds(t));

            int calls = fake.calls();
            t = System.nanoTime();
            PopulationPlan plan = mail.plan(file.current());
            System.out.printf(Locale.ROOT, "plan              %d requests, %.2f s: %s%n", fake.calls() - calls, seconds(t),
                    plan.summary());
            boolean ok = plan.counts().get(PopulationPlan.Action.UNCHANGED) == size;

            List<ManifestAgent> all = file.current().agents();
            for (int i = 0; i < drift; i++) {
                fake.deleteRoutesOf(all.get(i * (size / Math.max(drift, 1))).address().value());
            }
            calls = fake.calls();
            t = System.nanoTime();
            PopulationPlan driftPlan = mail.plan(file.current());
            System.out.printf(Locale.ROOT, "plan after drift  %d requests, %.2f s: %s%n", fake.calls() - calls,
                    seconds(t), driftPlan.summary());
            ok &= driftPlan.counts().get(PopulationPlan.Action.REPAIR) == drift;
            calls = fake.calls();
            t = System.nanoTime();
            ProvisioningReport applied = mail.apply(file, (o, done, total) -> { });
            System.out.printf(Locale.ROOT, "re-apply          %d requests, %.2f s, %d manifest writes: %s%n",
                    fake.calls() - calls, seconds(t), file.writes(), applied.summary());
            ok &= applied.allSucceeded() && fake.routeCount() == size && fake.duplicateRouteAddresses().isEmpty();

            List<String> ids = all.subList(size - retire, size).stream().map(ManifestAgent::id).toList();
            calls = fake.calls();
            t = System.nanoTime();
            RetirementReport retired = mail.retire(file, ids, false);
            System.out.printf(Locale.ROOT, "retire            %d requests, %.2f s: %s%n", fake.calls() - calls, seconds(t),
                    retired.summary());
            ok &= retired.allSucceeded() && fake.routeCount() == size - retire;
            System.out.println(ok ? "result            ok" : "result            FAILED");
            return ok;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
