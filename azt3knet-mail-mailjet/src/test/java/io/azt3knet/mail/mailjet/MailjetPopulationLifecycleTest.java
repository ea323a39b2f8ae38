package io.azt3knet.mail.mailjet;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.config.ProvisioningSettings;
import io.azt3knet.mail.population.ManifestAgent;
import io.azt3knet.mail.population.ManifestFile;
import io.azt3knet.mail.population.PopulationManifest;
import io.azt3knet.mail.population.PopulationPlan;
import io.azt3knet.mail.provisioning.AgentOutcome;
import io.azt3knet.mail.provisioning.ProvisioningListener;
import io.azt3knet.mail.provisioning.ProvisioningReport;
import io.azt3knet.mail.test.fake.FakeMailjet;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A population of 2,500 agents on the Mailjet fake: what a plan and a re-apply cost in requests (the 10,000-agent
 * figures come from the benchmarks module's {@code PopulationPlanLoadRun}, which shares this set-up).
 */
class MailjetPopulationLifecycleTest {

    private static final String DOMAIN = "agents.example.org";
    private static final int AGENTS = 2_500;
    private static final String SECRET = "inbound-secret-0123456789";

    @TempDir
    Path dir;

    private final FakeMailjet fake = new FakeMailjet();
    private MailAutomation mail;

    @BeforeEach
    void start() {
        fake.startServer();
        MailjetSettings settings = MailjetFakes.settings(fake).inboundSecret(Secret.of(SECRET)).build();
        mail = MailAutomation.builder().settings(new ProvisioningSettings(DOMAIN, ""))
                .provisioner(MailjetProvisioner.builder(settings).httpClient(MailjetFakes.http(settings)).build())
                .build();
    }

    @AfterEach
    void stop() {
        mail.close();
        fake.stopServer();
    }

    /** 10,000 active agents whose routes exist, as a completed first run leaves them (the routes added directly). */
    private ManifestFile existingPopulation() {
        List<AgentIdentity> agents = new ArrayList<>(AGENTS);
        for (int i = 1; i <= AGENTS; i++) {
            agents.add(new AgentIdentity("Agent" + i, "Load", "", String.format(Locale.ROOT, "agent-%05d", i)));
        }
        PopulationManifest pending = mail.extend(mail.newManifest(42, Instant.parse("2024-10-05T12:30:45Z")), agents);
        List<ManifestAgent> active = new ArrayList<>(AGENTS);
        for (ManifestAgent a : pending.agents()) {
            fake.addRoute(a.address().value(), "https://mailjet:" + SECRET + "@hooks.example.org/mailjet/inbound");
            active.add(a.withState(ManifestAgent.State.ACTIVE, a.changedAt()));
        }
        return ManifestFile.create(dir.resolve("population.json"), pending.withAgents(active));
    }

    @Test
    void thePlanOfAPopulationIsOnePagedListingAndAReapplyWritesOnlyWhatDrifted() {
        ManifestFile file = existingPopulation();
        List<ManifestAgent> agents = file.current().agents();
        int before = fake.calls();

        PopulationPlan plan = mail.plan(file.current());

        int planCalls = fake.calls() - before;
        assertThat(plan.counts().get(PopulationPlan.Action.UNCHANGED)).isEqualTo(AGENTS);
        assertThat(plan.mailboxesListed()).isEqualTo(AGENTS);
        // pages of 1,000: 1,000 + 1,000 + 500, the short page ends the walk
        assertThat(planCalls).as("requests for the plan").isEqualTo(3);

        for (int i = 0; i < 25; i++) {
            fake.deleteRoutesOf(agents.get(i * 100).address().value());
        }
        int posts = fake.routePosts();
        before = fake.calls();

        ProvisioningReport report = mail.apply(file, ProvisioningListener.NONE);

        assertThat(report.counts().get(AgentOutcome.Status.CREATED)).isEqualTo(25);
        assertThat(report.counts().get(AgentOutcome.Status.ALREADY_EXISTED)).isEqualTo(AGENTS - 25);
        assertThat(fake.routePosts() - posts).isEqualTo(25);
        assertThat(fake.calls() - before).as("one listing plus the 25 creates").isEqualTo(3 + 25);
        assertThat(fake.routeCount()).isEqualTo(AGENTS);
        assertThat(fake.duplicateRouteAddresses()).isEmpty();
    }
}
