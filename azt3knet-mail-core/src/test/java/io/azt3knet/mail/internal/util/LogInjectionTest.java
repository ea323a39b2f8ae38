package io.azt3knet.mail.internal.util;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.dns.DnsManager;
import io.azt3knet.mail.dns.DynDnsScheduler;
import io.azt3knet.mail.dns.InMemoryDnsManager;
import io.azt3knet.mail.naming.StandardMailboxNamer;
import io.azt3knet.mail.provisioning.InMemoryMailboxProvisioner;
import io.azt3knet.mail.provisioning.MailboxProvisioner;
import io.azt3knet.mail.provisioning.PopulationProvisioner;
import io.azt3knet.mail.provisioning.ProvisioningReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Values from outside (a provider's error text, a parser's complaint, a host name) that carry CR, LF or other
 * control characters never start a log line of their own: the log is captured (slf4j-simple writes to
 * {@code System.err}) and every line of it must be one the library wrote.
 */
class LogInjectionTest {

    /** What an attacker would like to see as a log entry of its own. */
    private static final String FORGED = "2026-01-01 INFO forged entry";
    private static final String HOSTILE = "boom\r\n" + FORGED + "\n\u001b[2J" + FORGED + "\u2028" + FORGED;

    @Test
    void escapedThrowablePrintsEveryMessageOfTheChainOnOneLineEach() {
        IllegalStateException cause = new IllegalStateException("cause\n" + FORGED);
        RuntimeException top = new RuntimeException(HOSTILE, cause);
        top.addSuppressed(new IllegalArgumentException("suppressed\r" + FORGED));

        Throwable escaped = LogText.escaped(top);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        escaped.printStackTrace(new PrintStream(out, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);

        assertNoForgedLine(printed);
        assertThat(printed).startsWith("java.lang.RuntimeException: boom\\r\\n" + FORGED + "\\n\\u001b[2J")
                .contains("Caused by: java.lang.IllegalStateException: cause\\n" + FORGED)
                .contains("Suppressed: java.lang.IllegalArgumentException: suppressed\\r" + FORGED)
                .contains("at " + LogInjectionTest.class.getName()); // the stack trace is kept
    }

    @Test
    void aProviderFailureQuotingHostileTextIsLoggedOnOneLine() {
        MailboxProvisioner failing = failingProvisioner(new IllegalStateException(HOSTILE));
        String log = captured(() -> {
            ProvisioningReport report = new PopulationProvisioner(failing, 1).provision(
                    List.of(AgentIdentity.of("Jane", "Doe")), StandardMailboxNamer.builder().domain("agents.example.org")
                            .clock(Clock.fixed(Instant.parse("2024-10-05T12:30:45Z"), ZoneOffset.UTC)).build(),
                    "agents.example.org", (o, done, total) -> { });
            assertThat(report.failures()).hasSize(1);
        });

        assertThat(log).contains("provisioning jane.doe.").contains("failed unexpectedly").contains("boom\\r\\n");
        assertNoForgedLine(log);
    }

    @Test
    void aDynDnsFailureQuotingHostileTextIsLoggedOnOneLine() throws Exception {
        CountDownLatch failed = new CountDownLatch(1);
        DnsManager manager = failingDnsManager(failed);
        String log = captured(() -> {
            try (DynDnsScheduler scheduler = DynDnsScheduler.builder(manager, "agents.example.org")
                    .interval(Duration.ofMinutes(1)).build().start()) {
                assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
                Thread.sleep(200); // the log line follows the failure
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });

        assertThat(log).contains("DynDNS refresh of agents.example.org failed").contains("boom\\r\\n");
        assertNoForgedLine(log);
    }

    private static void assertNoForgedLine(String log) {
        for (String line : log.split("\r\n|\r|\n|\u2028")) {
            assertThat(line).as("a line of the log").doesNotStartWith(FORGED).doesNotContain("\u001b");
        }
    }

    private static String captured(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return log.toString(StandardCharsets.UTF_8);
    }

    private static MailboxProvisioner failingProvisioner(RuntimeException failure) {
        InMemoryMailboxProvisioner real = InMemoryMailboxProvisioner.builder().build();
        return (MailboxProvisioner) Proxy.newProxyInstance(MailboxProvisioner.class.getClassLoader(),
                new Class<?>[] {MailboxProvisioner.class}, (proxy, method, args) -> {
                    if (method.getName().equals("createMailbox")) {
                        throw failure;
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static DnsManager failingDnsManager(CountDownLatch failed) {
        InMemoryDnsManager real = InMemoryDnsManager.create();
        return (DnsManager) Proxy.newProxyInstance(DnsManager.class.getClassLoader(), new Class<?>[] {DnsManager.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("discoverPublicIpv4")) {
                        failed.countDown();
                        throw new IllegalStateException(HOSTILE);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
