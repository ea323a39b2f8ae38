package io.azt3knet.mail.sandbox.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.inbox.MessageMatch;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.MailboxRequest;
import io.azt3knet.mail.sandbox.Sandbox;
import io.azt3knet.mail.send.MailService;
import io.azt3knet.mail.send.OutgoingMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxExtensionTest {

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.create().withDomain("agents.example.test");

    private static Path previous;

    @Test
    @Order(1)
    void aTestGetsARunningSandboxAsParameterAndThroughTheField(Sandbox sandbox) {
        assertThat(SANDBOX.sandbox()).isSameAs(sandbox);
        assertThat(sandbox.domain()).isEqualTo("agents.example.test");
        MailboxCredentials ada = agent(sandbox, "ada");
        MailboxCredentials bob = agent(sandbox, "bob");

        try (MailService mail = sandbox.mailService(ada)) {
            mail.send(OutgoingMessage.builder().to(bob.address().value()).subject("hi").text("hello").build());
        }

        assertThat(sandbox.inbox().waitFor(bob.address(), MessageMatch.any(), Duration.ofSeconds(5)).summary().subject())
                .isEqualTo("hi");
        previous = sandbox.directory();
    }

    @Test
    @Order(2)
    void theNextTestGetsAFreshOneAndThePreviousDirectoryIsGone(Sandbox sandbox) {
        assertThat(sandbox.directory()).isNotEqualTo(previous);
        assertThat(Files.exists(previous)).isFalse();
        assertThat(sandbox.provisioner().listMailboxes(sandbox.domain())).isEmpty();
    }

    private static MailboxCredentials agent(Sandbox sandbox, String name) {
        return sandbox.provisioner().createMailbox(MailboxRequest.of(new MailboxAddress(name, sandbox.domain())))
                .credentials();
    }
}
