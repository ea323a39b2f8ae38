package io.azt3knet.mail.examples.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.MailboxRequest;
import io.azt3knet.mail.sandbox.Sandbox;
import io.azt3knet.mail.test.fake.FakeMailjet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit codes and the one-line messages of the command line, as users meet them: the shaded jar run with
 * {@code java -jar} as a process ({@code main} and {@code System.exit} included), against real servers on
 * loopback: the sandbox's SMTP server (STARTTLS, AUTH), the stateful Mailjet fake, deSEC answering as its
 * throttle does, and a port that is taken.
 */
class CommandLineExitCodesIT {

    @TempDir
    Path dir;

    // ---- send

    @Test
    void sendExitsZeroAfterARealSmtpServerAcceptedTheMessage() throws Exception {
        try (Sandbox sandbox = Sandbox.builder(dir.resolve("sandbox")).announce(false).start()) {
            MailboxAddress ada = MailboxAddress.parse("ada.lovelace.123.20241005123045@" + sandbox.domain());
            MailboxCredentials login = sandbox.provisioner().createMailbox(MailboxRequest.of(ada)).credentials();

            JarProcess.Result run = smtpClient(sandbox, login.smtpUsername(), login.smtpPassword().reveal())
                    .run("send", "--from", ada.value(), "--to", "bob@example.org", "--subject", "Exit codes as users see them",
                            "--text", "hello from a process");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out().strip()).as(run.toString()).matches("sent <[^>]+> from " + ada.value().replace(".", "\\.")
                    + " to 1 recipient\\(s\\) via localhost:" + sandbox.smtpPort());
            assertThat(run.out() + run.err()).doesNotContain(login.smtpPassword().reveal());
            try (Stream<Path> outbox = Files.list(sandbox.outbox())) {
                List<Path> files = outbox.toList();
                assertThat(files).as("one message relayed to the outbox").hasSize(1);
                assertThat(Files.readString(files.get(0))).contains("Subject: Exit codes as users see them",
                        "hello from a process");
            }
        }
    }

    @Test
    void sendExitsOneWithOneLineWhenTheServerRefusesTheLogin() throws Exception {
        try (Sandbox sandbox = Sandbox.builder(dir.resolve("sandbox")).announce(false).start()) {
            MailboxAddress ada = MailboxAddress.parse("ada.lovelace.123.20241005123045@" + sandbox.domain());
            MailboxCredentials login = sandbox.provisioner().createMailbox(MailboxRequest.of(ada)).credentials();
            String wrong = "not-the-password-" + login.smtpPassword().reveal().substring(0, 4);

            JarProcess.Result run = smtpClient(sandbox, login.smtpUsername(), wrong)
                    .run("send", "--from", ada.value(), "--to", "bob@example.org", "--subject", "hi", "--text", "a");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.out()).isEmpty();
            assertThat(run.errLines()).as(run.toString()).singleElement().asString()
                    .startsWith("azt3knet-mail send: ")
                    .contains("refused the login", "localhost:" + sandbox.smtpPort(), "(MAILJET_API_KEY / MAILJET_API_SECRET)")
                    .doesNotContain(wrong);
            assertThat(sandbox.acceptedMessages()).isZero();
            assertThat(sandbox.outbox()).as("nothing relayed").satisfiesAnyOf(o -> assertThat(o).doesNotExist(),
                    o -> assertThat(o).isEmptyDirectory());
        }
    }

    /** The relay as configured for Mailjet, pointed at the sandbox; the JVM trusts the sandbox's certificate. */
    private JarProcess smtpClient(Sandbox sandbox, String username, String password) {
        return JarProcess.in(dir, Map.of("MAILJET_API_KEY", username, "MAILJET_API_SECRET", password,
                        "MAILJET_SMTP_HOST", "localhost", "MAILJET_SMTP_PORT", Integer.toString(sandbox.smtpPort())))
                .jvm("-Djavax.net.ssl.trustStore=" + sandbox.trustStoreFile(), "-Djavax.net.ssl.trustStorePassword=changeit",
                        "-Djavax.net.ssl.trustStoreType=PKCS12");
    }

    // ---- populate

    @Test
    void populateExitsOneWithOneLineNamingTheKeyPairWhenMailjetAnswers401() {
        FakeMailjet mailjet = new FakeMailjet();
        mailjet.startServer();
        try {
            Map<String, String> env = new HashMap<>(Map.of("DESEC_DOMAIN", ProviderFakes.DOMAIN,
                    "MAILJET_API_KEY", FakeMailjet.KEY, "MAILJET_API_SECRET", "revoked-secret-4711",
                    "MAILJET_API_URL", mailjet.baseUrl().toString(), "MAILJET_INBOUND_URL", ProviderFakes.INBOUND_URL));

            JarProcess.Result run = JarProcess.in(dir, env).run("populate", "--count", "5", "--country", "ES", "--seed", "7",
                    "--create-mailboxes");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.lastErrLine()).as(run.toString()).isEqualTo("azt3knet-mail populate: mailjet answered 401 to GET"
                    + " /v3/REST/sender: API key authentication/authorization failure. You may be unauthorized to access the"
                    + " API or your API key may be expired. Visit API keys management section to check your keys."
                    + " (check MAILJET_API_KEY and MAILJET_API_SECRET)");
            assertThat(run.out()).isEmpty();
            assertThat(run.out() + run.err()).doesNotContain("revoked-secret-4711").doesNotContain("\tat ");
            assertThat(mailjet.routeCount()).isZero();
        } finally {
            mailjet.stopServer();
        }
    }

    @Test
    void aProviderCommandWithoutCredentialsOrSandboxExitsTwoNamingEveryMissingVariable() {
        JarProcess.Result run = JarProcess.in(dir, Map.of()).run("populate", "--count", "3", "--country", "ES",
                "--create-mailboxes");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.errLines()).as(run.toString())
                .contains("azt3knet-mail populate: Invalid configuration (5 problems):",
                        "  - DESEC_DOMAIN is required but not set",
                        "  - MAILJET_API_KEY is required but not set",
                        "  - MAILJET_API_SECRET is required but not set")
                .anySatisfy(l -> assertThat(l).startsWith("  - MAILJET_INBOUND_URL is required to create mailboxes"))
                .anySatisfy(l -> assertThat(l).contains("add --sandbox"));
        assertThat(dir.resolve(".azt3knet-sandbox")).as("the sandbox is never chosen silently").doesNotExist();
    }

    @Test
    void theDotEnvOfTheWorkingDirectoryIsReadSoOnlyWhatItLacksIsNamed() throws IOException {
        Files.writeString(dir.resolve(".env"), "DESEC_DOMAIN=" + ProviderFakes.DOMAIN + "\nMAILJET_API_KEY=" + FakeMailjet.KEY
                + "\nMAILJET_API_SECRET=\"" + FakeMailjet.SECRET + "\"\n");

        JarProcess.Result run = JarProcess.in(dir, Map.of()).run("populate", "--count", "3", "--country", "ES",
                "--create-mailboxes");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.errLines()).as(run.toString()).contains("azt3knet-mail populate: Invalid configuration (2 problems):")
                .anySatisfy(l -> assertThat(l).startsWith("  - MAILJET_INBOUND_URL is required"))
                .noneMatch(l -> l.contains("DESEC_DOMAIN") || l.contains("MAILJET_API_KEY"));
    }

    @Test
    void aMalformedOptionExitsTwoWithTheUsage() {
        JarProcess.Result run = JarProcess.in(dir, Map.of()).run("populate", "--count", "many", "--country", "ES");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.errLines().get(0)).isEqualTo("Invalid value for option '--count': 'many' is not an int");
        assertThat(run.err()).contains("Usage: azt3knet-mail populate");
        assertThat(run.out()).isEmpty();
    }

    // ---- deSEC throttling

    @Test
    void dnsBootstrapExitsOneWithQuotaExhaustedWhenDesecThrottlesForAnHour() {
        FakeMailjet mailjet = new FakeMailjet();
        mailjet.startServer();
        WireMockServer desec = throttlingDesec();
        try {
            Map<String, String> env = new HashMap<>(desecEnv(desec));
            env.putAll(Map.of("MAILJET_API_KEY", FakeMailjet.KEY, "MAILJET_API_SECRET", FakeMailjet.SECRET,
                    "MAILJET_API_URL", mailjet.baseUrl().toString()));

            JarProcess.Result run = JarProcess.in(dir, env).run("dns-bootstrap", "--wait", "0s");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.out()).as(run.toString()).contains("FAILED   plan DNS", "SKIPPED  apply DNS",
                    "SKIPPED  refresh DynDNS");
            assertThat(run.lastErrLine()).as(run.toString()).matches("azt3knet-mail dns-bootstrap: plan DNS failed: desec"
                    + " answered 429 to GET /domains/agents\\.example\\.org/: quota exhausted until 20\\S+Z \\(the server"
                    + " asked to wait 3185 s, longer than the configured maximum of 120 s\\)");
            assertThat(run.out() + run.err()).doesNotContain(TOKEN).doesNotContain("\tat ");
            assertThat(desec.countRequestsMatching(anyRequestedFor(urlPathEqualTo("/update/")).build()).getCount())
                    .as("no DynDNS update after the plan failed").isZero();
            assertThat(desec.countRequestsMatching(anyRequestedFor(urlPathMatching("/api/v1/.*")).build()).getCount())
                    .as("a 429 beyond the longest wait is not retried").isOne();
        } finally {
            desec.stop();
            mailjet.stopServer();
        }
    }

    @Test
    void dyndnsExitsOneWithQuotaExhaustedWhenDesecsReadBucketIsSpentForAnHour() {
        WireMockServer desec = throttlingDesec();
        try {
            JarProcess.Result run = JarProcess.in(dir, desecEnv(desec)).run("dyndns");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.out()).isEmpty();
            assertThat(run.errLines()).as(run.toString()).singleElement().asString().matches("azt3knet-mail dyndns: desec"
                    + " answered 429 to GET /domains/agents\\.example\\.org/rrsets/: quota exhausted until 20\\S+Z \\(the"
                    + " server asked to wait 3185 s, longer than the configured maximum of 120 s\\)");
            assertThat(desec.countRequestsMatching(anyRequestedFor(urlPathEqualTo("/update/")).build()).getCount()).isZero();
        } finally {
            desec.stop();
        }
    }

    @Test
    void dyndnsExitsOneWithOneLineWhenTheUpdateItselfIsThrottledAndSendsItOnce() {
        WireMockServer desec = throttlingDesec();
        try {
            // the zone can be read (no address yet); the update hits deSEC's 2-per-2-minutes DynDNS limit
            desec.stubFor(get(urlPathMatching("/api/v1/.*")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody("[]")));
            desec.stubFor(any(urlPathEqualTo("/update/")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "97")
                    .withHeader("Content-Type", "text/plain").withBody("Request was throttled. Expected available in 97 seconds.")));

            JarProcess.Result run = JarProcess.in(dir, desecEnv(desec)).run("dyndns");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.out()).isEmpty();
            assertThat(run.errLines()).as(run.toString()).singleElement().asString()
                    .startsWith("azt3knet-mail dyndns: desec answered 429 to DynDNS update of agents.example.org: throttled:"
                            + " deSEC allows 2 DynDNS updates per 2 minutes per domain")
                    .contains("Expected available in 97 seconds").doesNotContain(TOKEN);
            assertThat(desec.countRequestsMatching(anyRequestedFor(urlPathEqualTo("/update/")).build()).getCount())
                    .as("DynDNS is never retried: the next interval tries again").isOne();
        } finally {
            desec.stop();
        }
    }

    private static final String TOKEN = "desec-token-exit-codes-0815";

    /**
     * deSEC as its throttle answers when the hourly bucket is spent: 429 with {@code Retry-After} in seconds and the
     * DRF detail (JSON on the API, plain text on the DynDNS update); check-IP still answers.
     */
    private static WireMockServer throttlingDesec() {
        WireMockServer desec = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        desec.start();
        desec.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3185")
                .withHeader("Content-Type", "application/json")
                .withBody("{\"detail\":\"Request was throttled. Expected available in 3185 seconds.\"}")));
        desec.stubFor(any(urlPathEqualTo("/update/")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3185")
                .withHeader("Content-Type", "text/plain").withBody("Request was throttled. Expected available in 3185 seconds.")));
        desec.stubFor(get(urlPathEqualTo("/checkip/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain").withBody("203.0.113.7\n")));
        return desec;
    }

    private static Map<String, String> desecEnv(WireMockServer desec) {
        String base = "http://127.0.0.1:" + desec.port();
        return Map.of("DESEC_DOMAIN", ProviderFakes.DOMAIN, "DESEC_TOKEN", TOKEN, "DESEC_API_URL", base + "/api/v1",
                "DESEC_DYNDNS_UPDATE_URL", base + "/update/", "DESEC_CHECKIP_URL", base + "/checkip/");
    }

    // ---- inbound-server

    @Test
    void inboundServerExitsOneWithOneLineWhenItsPortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            JarProcess.Result run = JarProcess.in(dir, Map.of("MAILJET_INBOUND_SECRET", ProviderFakes.INBOUND_SECRET))
                    .run("inbound-server", "--port", Integer.toString(port), "--maildir", dir.resolve("maildir").toString());

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.out()).doesNotContain("listening");
            assertThat(run.errLines()).as(run.toString()).singleElement().asString()
                    .startsWith("azt3knet-mail inbound-server: cannot listen on port " + port + ": ")
                    .doesNotContain(ProviderFakes.INBOUND_SECRET);
        }
    }
}
