package io.azt3knet.mail.mailjet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.provisioning.AgentOutcome;
import io.azt3knet.mail.provisioning.MailboxProvisioner;
import io.azt3knet.mail.provisioning.ProvisioningReport;
import io.azt3knet.mail.provisioning.ProvisioningListener;
import io.azt3knet.mail.spi.MailboxProvisionerFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class MailjetProvisionerFactoryTest {

    @Test
    void isFoundByServiceLoaderAndBuildsFromConfiguration() {
        MailboxProvisionerFactory factory = ServiceLoader.load(MailboxProvisionerFactory.class).findFirst().orElseThrow();

        assertThat(factory.providerName()).isEqualTo("mailjet");
        try (MailboxProvisioner p = factory.create(ConfigSource.of(Map.of("MAILJET_API_KEY", "key123",
                "MAILJET_API_SECRET", "secret")))) {
            assertThat(p).isInstanceOf(MailjetProvisioner.class);
        }
    }

    @Test
    void namesEveryMissingVariable() {
        assertThatThrownBy(() -> new MailjetProvisionerFactory().create(ConfigSource.of(Map.of())))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).contains("MAILJET_API_KEY"))
                        .anySatisfy(p -> assertThat(p).contains("MAILJET_API_SECRET")));
    }

    @Test
    void creatingMailboxesWithoutTheInboundUrlFailsWhenTheAutomationIsBuiltNamingEveryProblem() {
        assertThatThrownBy(() -> MailAutomation.fromConfiguration(ConfigSource.of(Map.of("DESEC_DOMAIN",
                "agents.example.org", "MAILJET_API_KEY", "key123")), MailAutomation.Scope.MAILBOXES))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).contains("MAILJET_API_SECRET"))
                        .anySatisfy(p -> assertThat(p).startsWith("MAILJET_INBOUND_URL is required to create mailboxes")));
    }

    @Test
    void theDomainScopeDoesNotNeedTheInboundUrl() {
        try (MailAutomation mail = MailAutomation.fromConfiguration(ConfigSource.of(Map.of("DESEC_DOMAIN",
                "agents.example.org", "MAILJET_API_KEY", "key123", "MAILJET_API_SECRET", "secret")),
                MailAutomation.Scope.DOMAIN)) {
            assertThat(mail.provisioner().providerName()).isEqualTo("mailjet");
        }
    }

    @Test
    void anUnreachableProviderEndsTheRunBeforeAnyMailboxWithAReportNamingTheHost() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ConfigSource config = ConfigSource.of(Map.of("DESEC_DOMAIN", "agents.example.org",
                "MAILJET_API_KEY", "key123", "MAILJET_API_SECRET", "secret",
                "MAILJET_API_URL", "http://127.0.0.1:" + port,
                "MAILJET_INBOUND_URL", "https://hooks.example.org/mailjet/inbound"));
        try (MailAutomation mail = MailAutomation.fromConfiguration(config, MailAutomation.Scope.MAILBOXES)) {
            List<AgentOutcome> seen = new java.util.ArrayList<>();
            ProvisioningReport report = mail.provision(List.of(AgentIdentity.of("Jane", "Doe"),
                    AgentIdentity.of("John", "Roe")), 42, Instant.parse("2024-10-05T12:30:45Z"),
                    (outcome, done, total) -> seen.add(outcome));

            assertThat(report.notStarted()).hasValueSatisfying(why -> assertThat(why)
                    .contains("no answer from mailjet").contains("127.0.0.1:" + port).doesNotContain("secret"));
            assertThat(report.outcomes()).hasSize(2).allSatisfy(o -> {
                assertThat(o.status()).isEqualTo(AgentOutcome.Status.NOT_ATTEMPTED);
                assertThat(o.address()).as("nothing was named").isEmpty();
            });
            assertThat(seen).hasSize(2);
            assertThat(report.summary()).startsWith("the run could not start: ").endsWith("; 2 agents not attempted");
        }
    }
}
