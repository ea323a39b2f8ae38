package io.azt3knet.mail.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.dns.DesiredDns;
import io.azt3knet.mail.dns.MailDnsOptions;
import io.azt3knet.mail.provisioning.DomainVerification;
import io.azt3knet.mail.provisioning.MailboxCreation;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.MailboxProvisioner;
import io.azt3knet.mail.provisioning.MailboxRequest;
import io.azt3knet.mail.test.MailboxProvisionerContractTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxMailboxProvisionerContractTest extends MailboxProvisionerContractTest {

    @TempDir
    Path dir;

    @Override
    protected MailboxProvisioner createProvisioner() {
        return SandboxMailboxProvisioner.builder(dir).smtpEndpoint("localhost", 2525).build();
    }

    @Test
    void everyAgentHasItsOwnRandomPasswordInAFileOnlyTheOwnerReads() throws Exception {
        MailboxCredentials ada = provisioner.createMailbox(MailboxRequest.of(address("ada.one.001.20241005123045")))
                .credentials();
        MailboxCredentials bob = provisioner.createMailbox(MailboxRequest.of(address("bob.two.002.20241005123045")))
                .credentials();

        assertThat(ada.smtpPassword().reveal()).hasSizeGreaterThanOrEqualTo(40).isNotEqualTo(bob.smtpPassword().reveal());
        assertThat(ada.smtpUsername()).isEqualTo(ada.address().value());
        Path file = dir.resolve("mailboxes").resolve(ada.address().value() + ".json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void aSecondProvisionerOnTheSameDirectoryFindsTheMailboxAndItsPassword() {
        MailboxAddress ada = address("ada.one.001.20241005123045");
        MailboxCredentials first = provisioner.createMailbox(MailboxRequest.of(ada)).credentials();

        try (SandboxMailboxProvisioner again = SandboxMailboxProvisioner.builder(dir).build()) {
            MailboxCreation rerun = again.createMailbox(MailboxRequest.of(ada));

            assertThat(rerun.outcome()).isEqualTo(MailboxCreation.Outcome.ALREADY_EXISTED);
            assertThat(rerun.credentials().smtpPassword()).isEqualTo(first.smtpPassword());
            assertThat(again.authenticate(ada.value().toUpperCase(), first.smtpPassword().reveal())).contains(ada);
            assertThat(again.authenticate(ada.value(), "wrong")).isEmpty();
            assertThat(again.authenticate("nobody@" + domain(), first.smtpPassword().reveal())).isEmpty();
        }
    }

    @Test
    void theDomainVerifiesOnceTheSandboxZoneHoldsItsRecords() {
        SandboxMailboxProvisioner sandbox = (SandboxMailboxProvisioner) provisioner;
        var requirements = sandbox.prepareDomain(domain());
        assertThat(sandbox.verifyDomain(domain()).isReady()).isFalse();

        try (SandboxDnsManager dns = SandboxDnsManager.builder(dir).build()) {
            dns.apply(dns.plan(DesiredDns.forMail(requirements, MailDnsOptions.defaults())));
        }

        DomainVerification verdict = sandbox.verifyDomain(domain());
        assertThat(verdict.isReady()).as(verdict.toString()).isTrue();
        assertThat(requirements.dkim().value()).startsWith("v=DKIM1; k=rsa; p=MII");
    }
}
