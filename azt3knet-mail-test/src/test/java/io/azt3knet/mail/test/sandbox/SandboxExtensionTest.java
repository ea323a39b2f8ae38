package io.azt3knet.mail.test.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.inbox.MessageMatch;
import io.azt3knet.mail.inbox.MessageStore;
import io.azt3knet.mail.inbox.StoredMessage;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.sandbox.ChaosSettings;
import io.azt3knet.mail.sandbox.Sandbox;
import io.azt3knet.mail.send.MailService;
import io.azt3knet.mail.send.OutgoingMessage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The extension as a user meets it (this class registers it), and its lifecycle as seen from outside: sample classes
 * (nested, so that surefire does not run them on their own) are run through the JUnit launcher, then what they saw is
 * checked after JUnit is done with them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxExtensionTest {

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.create().withDomain("agents.example.test");

    private static Path previous;

    @Test
    @Order(1)
    void aTestGetsARunningSandboxItsAutomationItsInboxAndMailboxesAsParameters(Sandbox sandbox, MailAutomation mail,
            MessageStore inbox, @SandboxMailbox("ada.lovelace") MailboxCredentials ada,
            @SandboxMailbox("bob.marley") MailboxCredentials bob) {
        assertThat(SANDBOX.sandbox()).isSameAs(sandbox);
        assertThat(sandbox.domain()).isEqualTo("agents.example.test");
        assertThat(mail).isSameAs(sandbox.automation());
        assertThat(inbox).isSameAs(sandbox.inbox());
        assertThat(ada.address().value()).isEqualTo("ada.lovelace@agents.example.test");
        assertThat(sandbox.credentials(bob.address())).contains(bob);

        try (MailService smtp = sandbox.mailService(ada)) {
            smtp.send(OutgoingMessage.builder().to(bob.address().value()).subject("hi").text("hello").build());
        }

        StoredMessage got = inbox.waitFor(bob.address(), MessageMatch.any(), Duration.ofSeconds(5));
        assertThat(got.summary().subject()).isEqualTo("hi");
        assertThat(got.summary().from()).contains(ada.address().value());
        previous = sandbox.directory();
    }

    @Test
    @Order(2)
    void theNextTestGetsAFreshOneAndThePreviousDirectoryIsGone(Sandbox sandbox) {
        assertThat(previous).isNotNull();
        assertThat(sandbox.directory()).isNotEqualTo(previous);
        assertThat(Files.exists(previous)).isFalse();
        assertThat(sandbox.provisioner().listMailboxes(sandbox.domain())).isEmpty();
    }

    @Test
    void aMailboxParameterOfTheSameAgentTwiceIsOneMailbox(@SandboxMailbox("ada") MailboxCredentials first,
            @SandboxMailbox("ada") MailboxCredentials second, Sandbox sandbox) {
        assertThat(second).isEqualTo(first);
        assertThat(sandbox.provisioner().listMailboxes(sandbox.domain())).hasSize(1);
    }

    @Test
    void everyTestsSandboxIsStoppedAndDeletedAfterIt() {
        TestExecutionSummary summary = run(PerTestSample.class);

        assertThat(summary.getTestsSucceededCount()).as(failures(summary)).isEqualTo(2);
        assertThat(PerTestSample.seen).hasSize(2);
        assertThat(PerTestSample.seen.get(0).directory()).isNotEqualTo(PerTestSample.seen.get(1).directory());
        for (Seen s : PerTestSample.seen) {
            assertThat(s.directory()).doesNotExist();
            assertThat(listening(s.smtpPort())).as("SMTP port " + s.smtpPort() + " after the test").isFalse();
            assertThat(listening(s.httpPort())).as("webhook port " + s.httpPort() + " after the test").isFalse();
        }
    }

    @Test
    void perClassKeepsOneSandboxForTheWholeClassAndStopsItAfterIt() {
        TestExecutionSummary summary = run(PerClassSample.class);

        assertThat(summary.getTestsSucceededCount()).as(failures(summary)).isEqualTo(2);
        assertThat(PerClassSample.seen).hasSize(4); // @BeforeAll, two tests, @AfterAll
        assertThat(PerClassSample.seen).extracting(Seen::directory).containsOnly(PerClassSample.seen.get(0).directory());
        Seen s = PerClassSample.seen.get(0);
        assertThat(s.directory()).doesNotExist();
        assertThat(listening(s.smtpPort())).isFalse();
    }

    @Test
    void extendWithGivesTheDefaults() {
        TestExecutionSummary summary = run(ExtendWithSample.class);

        assertThat(summary.getTestsSucceededCount()).as(failures(summary)).isEqualTo(1);
        assertThat(ExtendWithSample.domain).isEqualTo(Sandbox.DEFAULT_DOMAIN);
    }

    @Test
    void aPerTestSandboxAskedForInBeforeAllFailsNamingTheFix() {
        TestExecutionSummary summary = run(MisusedSample.class);

        assertThat(summary.getTotalFailureCount()).isEqualTo(1);
        assertThat(summary.getFailures().get(0).getException())
                .hasMessageContaining("no sandbox runs for").hasMessageContaining("SandboxExtension.create().perClass()");
    }

    @Test
    void aBadMailboxNameOrDomainIsAClearError() {
        TestExecutionSummary summary = run(BadMailboxSample.class);

        assertThat(summary.getTotalFailureCount()).isEqualTo(1);
        assertThat(summary.getFailures().get(0).getException()).hasMessageContaining("@SandboxMailbox(\"not an address\")");
        assertThatThrownBy(() -> SandboxExtension.create().withDomain(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mailDomain");
        assertThatThrownBy(() -> new SandboxExtension().sandbox()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no sandbox runs now");
    }

    record Seen(Path directory, int smtpPort, int httpPort) {
        static Seen of(Sandbox sandbox) {
            return new Seen(sandbox.directory(), sandbox.smtpPort(), sandbox.httpPort());
        }
    }

    static class PerTestSample {
        static final List<Seen> seen = new CopyOnWriteArrayList<>();

        @RegisterExtension
        static final SandboxExtension SANDBOX = SandboxExtension.create();

        @Test
        void one(Sandbox sandbox) {
            seen.add(Seen.of(sandbox));
            assertThat(listening(sandbox.smtpPort())).isTrue();
        }

        @Test
        void two(Sandbox sandbox) {
            seen.add(Seen.of(sandbox));
            assertThat(listening(sandbox.smtpPort())).isTrue();
        }
    }

    static class PerClassSample {
        static final List<Seen> seen = new CopyOnWriteArrayList<>();

        @RegisterExtension
        static final SandboxExtension SANDBOX = SandboxExtension.create().perClass();

        @BeforeAll
        static void before(Sandbox sandbox) {
            seen.add(Seen.of(sandbox));
        }

        @Test
        void one(Sandbox sandbox) {
            seen.add(Seen.of(sandbox));
        }

        @Test
        void two(Sandbox sandbox) {
            seen.add(Seen.of(sandbox));
        }

        @AfterAll
        static void after(Sandbox sandbox) {
            seen.add(Seen.of(sandbox));
        }
    }

    @ExtendWith(SandboxExtension.class)
    static class ExtendWithSample {
        static String domain;

        @Test
        void defaults(Sandbox sandbox) {
            domain = sandbox.domain();
        }
    }

    static class MisusedSample {
        @RegisterExtension
        static final SandboxExtension SANDBOX = SandboxExtension.create()
                .withChaos(ChaosSettings.builder(7).duplicateShare(0.5).build());

        @BeforeAll
        static void before(Sandbox sandbox) {
        }

        @Test
        void never() {
        }
    }

    static class BadMailboxSample {
        @RegisterExtension
        static final SandboxExtension SANDBOX = SandboxExtension.create();

        @Test
        void bad(@SandboxMailbox("not an address") MailboxCredentials agent) {
        }
    }

    private static TestExecutionSummary run(Class<?> sample) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(sample)).build(), listener);
        return listener.getSummary();
    }

    private static String failures(TestExecutionSummary summary) {
        List<String> out = new ArrayList<>();
        summary.getFailures().forEach(f -> out.add(f.getTestIdentifier().getDisplayName() + ": " + f.getException()));
        return out.toString();
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
