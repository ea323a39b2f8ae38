package io.azt3knet.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.config.ProvisioningSettings;
import io.azt3knet.mail.provisioning.AgentOutcome;
import io.azt3knet.mail.provisioning.InMemoryMailboxProvisioner;
import io.azt3knet.mail.provisioning.ProvisioningListener;
import io.azt3knet.mail.provisioning.ProvisioningReport;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The statements of README.md's "Re-runs" and "Naming limits", checked through the public API. */
class ReadmeClaimsTest {

    private static final Instant AT = Instant.parse("2024-10-05T12:30:45Z");

    private static List<AgentIdentity> johnSmiths(int n) {
        return IntStream.range(0, n).mapToObj(i -> AgentIdentity.of("John", "Smith")).toList();
    }

    private static MailAutomation automation(ProvisioningSettings settings) {
        return MailAutomation.builder().settings(settings).provisioner(InMemoryMailboxProvisioner.builder().build())
                .concurrency(8).build();
    }

    private static List<MailboxAddress> addresses(ProvisioningReport report) {
        return report.outcomes().stream().map(AgentOutcome::address).flatMap(Optional::stream).toList();
    }

    @Test
    void aThousandAgentsWithOneNameFitInOnePopulationAndTheThousandAndFirstFailsAlone() {
        try (MailAutomation mail = automation(ProvisioningSettings.of("agents.example.org"))) {
            ProvisioningReport report = mail.provision(johnSmiths(1_001), 42, AT, ProvisioningListener.NONE);

            assertThat(report.counts()).containsEntry(AgentOutcome.Status.CREATED, 1_000)
                    .containsEntry(AgentOutcome.Status.FAILED, 1);
            assertThat(addresses(report)).doesNotHaveDuplicates().hasSize(1_000);
            AgentOutcome last = report.outcomes().get(1_000);
            assertThat(last.status()).isEqualTo(AgentOutcome.Status.FAILED);
            assertThat(last.toString()).contains("john.smith").contains("20241005123045");
        }
    }

    @Test
    void splittingACrowdOverDistinctInstantsOrPrefixesNamesEveryone() {
        try (MailAutomation mail = automation(ProvisioningSettings.of("agents.example.org"));
                MailAutomation crew2 = automation(ProvisioningSettings.of("agents.example.org").withPrefix("crew2"))) {
            ProvisioningReport first = mail.provision(johnSmiths(1_000), 42, AT, ProvisioningListener.NONE);
            ProvisioningReport second = mail.provision(johnSmiths(1_000), 42, AT.plusSeconds(1), ProvisioningListener.NONE);
            ProvisioningReport prefixed = crew2.provision(johnSmiths(1_000), 42, AT, ProvisioningListener.NONE);

            List<MailboxAddress> all = new java.util.ArrayList<>(addresses(first));
            all.addAll(addresses(second));
            all.addAll(addresses(prefixed));
            assertThat(all).hasSize(3_000).doesNotHaveDuplicates();
        }
    }

    @Test
    void aReRunWithTheSameSeedAndInstantCreatesNothingNew() {
        try (MailAutomation mail = automation(ProvisioningSettings.of("agents.example.org"))) {
            List<AgentIdentity> agents = List.of(AgentIdentity.of("Jane", "Doe"), AgentIdentity.of("Анна", "Иванова"));
            ProvisioningReport first = mail.provision(agents, 42, AT, ProvisioningListener.NONE);
            ProvisioningReport again = mail.provision(agents, 42, AT, ProvisioningListener.NONE);

            assertThat(again.counts()).containsEntry(AgentOutcome.Status.ALREADY_EXISTED, 2);
            assertThat(addresses(again)).isEqualTo(addresses(first));
            assertThat(mail.provisioner().listMailboxes("agents.example.org")).hasSize(2);
        }
    }
}
