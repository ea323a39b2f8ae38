package io.azt3knet.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.bootstrap.BootstrapOptions;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.config.ProvisioningSettings;
import io.azt3knet.mail.dns.InMemoryDnsManager;
import io.azt3knet.mail.provisioning.AgentOutcome;
import io.azt3knet.mail.provisioning.InMemoryMailboxProvisioner;
import io.azt3knet.mail.provisioning.ProvisioningListener;
import io.azt3knet.mail.provisioning.ProvisioningReport;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MailAutomationTest {

    private static final Clock AT = Clock.fixed(Instant.parse("2024-10-05T12:30:45Z"), ZoneOffset.UTC);

    private final InMemoryMailboxProvisioner provider = InMemoryMailboxProvisioner.builder().build();

    private MailAutomation automation() throws Exception {
        return MailAutomation.builder()
                .settings(ProvisioningSettings.of("agents.example.org").withPrefix("bot"))
                .provisioner(provider)
                .dnsManager(InMemoryDnsManager.builder().publicIpv4("203.0.113.7").build())
                .concurrency(4)
                .build();
    }

    @Test
    void namesAndProvisionsAPopulationAndARerunWithTheSameSeedAndClockCreatesNothing() throws Exception {
        List<AgentIdentity> agents = IntStream.range(0, 30).mapToObj(i -> AgentIdentity.of("Jane", "Doe")).toList();
        try (MailAutomation mail = automation()) {
            ProvisioningReport first = mail.provision(agents, mail.newNamer(42, AT), ProvisioningListener.NONE);
            assertThat(first.counts()).containsEntry(AgentOutcome.Status.CREATED, 30);
            assertThat(first.outcomes()).allSatisfy(o -> assertThat(o.address().orElseThrow().value())
                    .matches("bot\\.jane\\.doe\\.\\d{3}\\.20241005123045@agents\\.example\\.org"));
            assertThat(first.outcomes().stream().map(o -> o.address().orElseThrow()).distinct()).hasSize(30);

            ProvisioningReport again = mail.provision(agents, mail.newNamer(42, AT), ProvisioningListener.NONE);
            assertThat(again.counts()).containsEntry(AgentOutcome.Status.ALREADY_EXISTED, 30);
            assertThat(again.outcomes()).extracting(o -> o.address().orElseThrow())
                    .containsExactlyElementsOf(first.outcomes().stream().map(o -> o.address().orElseThrow()).toList());
            assertThat(provider.listMailboxes("agents.example.org")).hasSize(30);

            var credentials = first.outcomes().get(0).credentials().orElseThrow();
            try (var service = mail.mailService(credentials)) {
                assertThat(service.sender()).isEqualTo(credentials.address());
                assertThat(service.settings().host()).isEqualTo(credentials.smtpHost());
            }
        }
    }

    @Test
    void provisioningWithASeedAndAnInstantTwiceCreatesEveryMailboxOnce() throws Exception {
        List<AgentIdentity> agents = IntStream.range(0, 20).mapToObj(i -> AgentIdentity.of("Jane", "Doe")).toList();
        Instant at = Instant.parse("2024-10-05T12:30:45Z");
        try (MailAutomation mail = automation()) {
            ProvisioningReport first = mail.provision(agents, 42, at, ProvisioningListener.NONE);
            ProvisioningReport again = mail.provision(agents, 42, at, ProvisioningListener.NONE);

            assertThat(first.counts()).containsEntry(AgentOutcome.Status.CREATED, 20);
            assertThat(again.counts()).containsEntry(AgentOutcome.Status.ALREADY_EXISTED, 20);
            assertThat(provider.listMailboxes("agents.example.org")).hasSize(20);
        }
    }

    @Test
    void bootstrapsTheConfiguredDomain() throws Exception {
        try (MailAutomation mail = automation()) {
            assertThat(mail.bootstrapDomain(BootstrapOptions.defaults()).succeeded()).isTrue();
            assertThat(mail.bootstrapDomain(BootstrapOptions.defaults().withDryRun(true)).plan().orElseThrow().hasChanges())
                    .isFalse();
        }
    }

    @Test
    void buildListsEveryMissingPiece() {
        assertThatThrownBy(() -> MailAutomation.builder().concurrency(0).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).hasSize(3));
    }

    @Test
    void bootstrapWithoutADnsManagerSaysWhatToConfigure() {
        try (MailAutomation mail = MailAutomation.builder().settings(ProvisioningSettings.of("a.example"))
                .provisioner(provider).build()) {
            assertThatThrownBy(() -> mail.bootstrapDomain(BootstrapOptions.defaults()))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("DnsManagerFactory")
                    .hasMessageContaining("dnsManager(...)");
        }
    }

    @Test
    void fromConfigurationReportsEveryProblemIncludingAMissingProviderModule() {
        assertThatThrownBy(() -> MailAutomation.fromConfiguration(ConfigSource.of(Map.of())))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "DESEC_DOMAIN is required but not set",
                        MailAutomation.NO_PROVISIONER));
    }
}
