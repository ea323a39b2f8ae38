package io.azt3knet.mail.test;

import io.azt3knet.mail.provisioning.DomainRequirements;
import io.azt3knet.mail.provisioning.DomainVerification;
import io.azt3knet.mail.provisioning.InMemoryMailboxProvisioner;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.MailboxProvisioner;
import io.azt3knet.mail.provisioning.MailboxRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.Secret;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract, plus what the builder configures. */
class InMemoryMailboxProvisionerTest extends MailboxProvisionerContractTest {

    @Override
    protected MailboxProvisioner createProvisioner() {
        return InMemoryMailboxProvisioner.builder().build();
    }

    @Test
    void credentialsCarryTheConfiguredSmtpSettingsAndInboundUrl() {
        InMemoryMailboxProvisioner p = InMemoryMailboxProvisioner.builder()
                .smtp("smtp.example.org", 2525, "relay-user", Secret.of("relay-pw"))
                .inboundUrl(URI.create("https://hooks.example.org/inbound"))
                .build();

        MailboxCredentials c = p.createMailbox(MailboxRequest.of(address("jane"))).credentials();

        assertThat(c.smtpHost()).isEqualTo("smtp.example.org");
        assertThat(c.smtpPort()).isEqualTo(2525);
        assertThat(c.smtpUsername()).isEqualTo("relay-user");
        assertThat(c.smtpPassword().reveal()).isEqualTo("relay-pw");
        assertThat(c.routeUrl()).isEqualTo(URI.create("https://hooks.example.org/inbound"));
    }

    @Test
    void requirementsUseTheConfiguredMxHostsAndSpfInclude() {
        InMemoryMailboxProvisioner p = InMemoryMailboxProvisioner.builder()
                .mxHosts(List.of("mx1.example.org", "mx2.example.org"))
                .spfInclude("include:spf.example.org")
                .build();

        DomainRequirements r = p.prepareDomain("Agents.Example.ORG");

        assertThat(r.domain()).isEqualTo("agents.example.org");
        assertThat(r.mxHosts()).containsExactly("mx1.example.org", "mx2.example.org");
        assertThat(r.spfInclude()).isEqualTo("include:spf.example.org");
        assertThat(r.dkim().value()).startsWith("k=rsa; p=");
        assertThat(r.ownership()).isPresent();
    }

    @Test
    void dkimValueDiffersBetweenDomains() {
        assertThat(provisioner.prepareDomain("a.example.org").dkim().value())
                .isNotEqualTo(provisioner.prepareDomain("b.example.org").dkim().value());
    }

    @Test
    void verifyingADomainNeverPreparedFailsBothChecks() {
        DomainVerification v = provisioner.verifyDomain("unknown.example.org");

        assertThat(v.isReady()).isFalse();
        assertThat(v.dkim().status()).isEqualTo(DomainVerification.Status.ERROR);
        assertThat(v.dkim().errors()).singleElement().asString().contains("prepareDomain");
    }

    @Test
    void verifyingAPreparedDomainReportsItReady() {
        provisioner.prepareDomain(domain());

        assertThat(provisioner.verifyDomain(domain()).isReady()).isTrue();
    }

    @Test
    void builderRefusesPlainHttpInboundUrlOnAPublicHost() {
        assertThatThrownBy(() -> InMemoryMailboxProvisioner.builder().inboundUrl(URI.create("http://hooks.example.org/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
    }

    @Test
    void builderRefusesAnInvalidSpfMechanism() {
        assertThatThrownBy(() -> InMemoryMailboxProvisioner.builder().spfInclude("v=spf1 -all").build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
