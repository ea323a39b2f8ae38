package io.azt3knet.mail.examples.cli;

import static io.azt3knet.mail.examples.cli.ProviderFakes.INBOUND_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.desec.DesecSettings;
import io.azt3knet.mail.test.fake.FakeDesec;
import io.azt3knet.mail.test.fake.FakeMailjet;
import io.azt3knet.mail.mailjet.MailjetSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Secret hygiene: every command and library flow runs with marker secrets (the fakes' key secret, deSEC token
 * and inbound secret) and DEBUG logging for {@code io.azt3knet} ({@code simplelogger.properties}); the markers
 * never appear in standard output, standard error, the log, exception messages, {@code toString} or reports,
 * except where {@code --show-secrets} asked for them.
 */
class SecretHygieneTest {

    private static final List<String> MARKERS = List.of(FakeMailjet.SECRET, FakeDesec.TOKEN, INBOUND_SECRET);

    private ProviderFakes fakes;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private final List<String> seen = new ArrayList<>();

    @BeforeEach
    void start() {
        fakes = new ProviderFakes();
        originalErr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8)); // slf4j-simple writes to System.err
    }

    @AfterEach
    void stop() {
        System.setErr(originalErr);
        fakes.close();
    }

    private CommandRun run(Map<String, String> env, String... args) {
        CommandRun r = CommandRun.run("", env, args);
        seen.add(String.join(" ", args) + " => exit " + r.exitCode() + "\n" + r.out() + "\n" + r.err());
        return r;
    }

    private void library(Supplier<Object> flow) {
        try {
            seen.add(String.valueOf(flow.get()));
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                seen.add(t.toString());
            }
        }
    }

    private String everything() {
        return String.join("\n", seen) + "\n" + log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noCommandNorLibraryFlowShowsASecretUnlessAskedTo() {
        assertThat(LoggerFactory.getLogger("io.azt3knet.mail.examples").isDebugEnabled())
                .as("DEBUG logging is on for the library").isTrue();
        Map<String, String> env = fakes.env();
        Map<String, String> wrongToken = new HashMap<>(env);
        wrongToken.put("DESEC_TOKEN", "not-the-token-" + FakeDesec.TOKEN.substring(0, 3));
        Map<String, String> badUrls = new HashMap<>(env);
        badUrls.put("MAILJET_API_URL", "http://evil.example/" + FakeMailjet.SECRET);
        badUrls.put("MAILJET_INBOUND_SECRET", INBOUND_SECRET + "/");

        run(env, "dns-bootstrap", "--wait", "0s");
        run(env, "dns-bootstrap", "--dry-run");
        run(env, "dyndns");
        run(wrongToken, "dyndns");
        CommandRun populated = run(env, "populate", "--count", "3", "--country", "ES", "--seed", "7",
                "--at", "2024-10-05T12:30:45Z", "--domain", ProviderFakes.DOMAIN, "--create-mailboxes");
        run(env, "populate", "--count", "2", "--country", "DE", "--seed", "7", "--at", "2024-10-05T12:30:45Z",
                "--domain", ProviderFakes.DOMAIN, "--create-mailboxes", "--json");
        run(badUrls, "dns-bootstrap");
        run(badUrls, "populate", "--count", "1", "--country", "ES", "--create-mailboxes");
        Map<String, String> smtp = new HashMap<>(env);
        smtp.put("MAILJET_SMTP_HOST", "127.0.0.1");
        smtp.put("MAILJET_SMTP_PORT", "1");
        run(smtp, "send", "--from", "agent@" + ProviderFakes.DOMAIN, "--to", "bob@example.org", "--subject", "s",
                "--text", "t");
        run(env, "send", "--from", "agent@" + ProviderFakes.DOMAIN, "--to", "bob@example.org", "--subject", "s",
                "--text", "t", "--from-name", "x\ny");
        run(Map.of("MAILJET_INBOUND_SECRET", "short" + INBOUND_SECRET.substring(0, 3)), "inbound-server",
                "--maildir", "/nonexistent");

        ConfigSource config = ConfigSource.of(env);
        library(() -> MailjetSettings.from(config));
        library(() -> DesecSettings.from(config));
        library(() -> {
            try (MailAutomation mail = MailAutomation.fromConfiguration(config)) {
                return mail + " " + mail.bootstrapDomain(io.azt3knet.mail.bootstrap.BootstrapOptions.defaults()
                        .withVerification(java.time.Duration.ZERO, java.time.Duration.ofSeconds(1))).render();
            }
        });
        library(() -> {
            try (MailAutomation mail = MailAutomation.fromConfiguration(ConfigSource.of(wrongToken))) {
                return mail.bootstrapDomain(io.azt3knet.mail.bootstrap.BootstrapOptions.defaults()).render();
            }
        });

        String all = everything();
        for (String marker : MARKERS) {
            assertThat(all).as("marker " + marker).doesNotContain(marker);
        }
        assertThat(populated.exitCode()).as(populated.err()).isZero();
        assertThat(log.toString(StandardCharsets.UTF_8)).as("the log was captured").contains("DEBUG");

        CommandRun shown = run(env, "populate", "--count", "1", "--country", "ES", "--seed", "7",
                "--at", "2024-10-05T12:30:45Z", "--domain", ProviderFakes.DOMAIN, "--create-mailboxes", "--show-secrets");
        assertThat(shown.out()).as("--show-secrets shows the SMTP password").contains(FakeMailjet.SECRET);
    }
}
