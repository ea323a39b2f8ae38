package io.azt3knet.mail.examples.cli;

import static io.azt3knet.mail.examples.cli.ProviderFakes.DOMAIN;
import static io.azt3knet.mail.examples.cli.ProviderFakes.INBOUND_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.bootstrap.BootstrapOptions;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.desec.DesecSettings;
import io.azt3knet.mail.inbound.webhook.InboundWebhookServer;
import io.azt3knet.mail.mailjet.MailjetCredentialsMode;
import io.azt3knet.mail.mailjet.MailjetProvisioner;
import io.azt3knet.mail.mailjet.MailjetSettings;
import io.azt3knet.mail.provisioning.MailboxRequest;
import io.azt3knet.mail.test.fake.FakeDesec;
import io.azt3knet.mail.test.fake.FakeMailjet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Secret hygiene: every command and library flow runs with marker secrets and DEBUG logging for {@code io.azt3knet}
 * ({@code simplelogger.properties}); the markers never appear in standard output, standard error, the log,
 * exception messages, {@code toString} or reports, except where {@code --show-secrets} asked for them, and there
 * they do appear.
 *
 * <p>The markers: the Mailjet account's secret, the deSEC token and the inbound secrets (current, previous, new) of
 * the configuration; every sub-account key's secret the fake Mailjet issued (a population's, every agent's); the
 * sandbox's webhook secret and every sandbox mailbox's SMTP password, read from the sandbox directory.
 */
class SecretHygieneTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREVIOUS_INBOUND_SECRET = "prev-inb0und-s3cret-4712";
    private static final String NEW_INBOUND_SECRET = "new-inb0und-s3cret-4713";
    private static final String AT = "2024-10-05T12:30:45Z";

    private ProviderFakes fakes;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream originalErr;
    /** Everything the runs showed where no secret may be. */
    private final List<String> seen = new ArrayList<>();
    /** The commands run, to say which ones the test covered when an assertion fails. */
    private final List<String> commands = new ArrayList<>();
    /** The exit codes of each command, in order: the runs did their work, they did not just fail early. */
    private final Map<String, List<Integer>> exits = new HashMap<>();

    @TempDir
    Path dir;

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
        record(r, args);
        return r;
    }

    private void record(CommandRun r, String... args) {
        String command = args[0] + (args.length > 1 && !args[1].startsWith("-") ? " " + args[1] : "");
        commands.add(command);
        exits.merge(command, List.of(r.exitCode()), (a, b) -> Stream.concat(a.stream(), b.stream()).toList());
        seen.add(String.join(" ", args) + " => exit " + r.exitCode() + "\n" + r.out() + "\n" + r.err());
    }

    /** A run that asked for secrets: checked apart, and kept out of {@link #seen}. */
    private CommandRun shown(Map<String, String> env, String... args) {
        CommandRun r = CommandRun.run("", env, args);
        commands.add(args[0] + " --show-secrets");
        return r;
    }

    private void library(Supplier<Object> flow) {
        try {
            seen.add(String.valueOf(flow.get()));
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                seen.add(t.toString());
                for (Throwable s : t.getSuppressed()) {
                    seen.add(s.toString());
                }
            }
        }
    }

    private void assertNoMarker(List<String> markers) {
        String all = String.join("\n", seen) + "\n" + log.toString(StandardCharsets.UTF_8);
        assertThat(markers).as("markers").isNotEmpty().allSatisfy(m -> assertThat(m).hasSizeGreaterThan(8));
        for (String marker : markers) {
            assertThat(all).as("marker %s after %s", marker, commands).doesNotContain(marker);
        }
    }

    private List<String> configurationMarkers() {
        return List.of(FakeMailjet.SECRET, FakeDesec.TOKEN, INBOUND_SECRET, PREVIOUS_INBOUND_SECRET, NEW_INBOUND_SECRET);
    }

    private String[] populate(String... more) {
        return Stream.concat(Stream.of("populate", "--count", "3", "--country", "ES", "--seed", "7", "--at", AT,
                "--domain", DOMAIN, "--create-mailboxes"), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void noProviderCommandNorLibraryFlowShowsASecretUnlessAskedTo() throws Exception {
        assertThat(LoggerFactory.getLogger("io.azt3knet.mail.examples").isDebugEnabled())
                .as("DEBUG logging is on for the library").isTrue();
        Map<String, String> env = fakes.env(Map.of("MAILJET_INBOUND_SECRET_PREVIOUS", PREVIOUS_INBOUND_SECRET));
        Map<String, String> wrongToken = new HashMap<>(env);
        wrongToken.put("DESEC_TOKEN", "not-the-token-" + FakeDesec.TOKEN.substring(0, 3));
        Map<String, String> badUrls = new HashMap<>(env);
        badUrls.put("MAILJET_API_URL", "http://evil.example/" + FakeMailjet.SECRET);
        badUrls.put("MAILJET_INBOUND_SECRET", INBOUND_SECRET + "/");
        Path manifest = dir.resolve("population.json");

        run(Map.of(), "name", "--domain", DOMAIN, "--seed", "7", "--at", AT);
        run(env, "dns-bootstrap", "--wait", "0s");
        run(env, "dns-bootstrap", "--dry-run");
        run(env, "dyndns");
        run(wrongToken, "dyndns");
        CommandRun populated = run(env, populate("--manifest", manifest.toString()));
        run(env, "populate", "--manifest", manifest.toString(), "--plan");
        run(env, populate("--json"));
        run(env, "populate", "--count", "2", "--country", "DE", "--seed", "7", "--at", AT, "--domain", DOMAIN);
        run(badUrls, "dns-bootstrap");
        run(badUrls, populate());
        run(env, "mailboxes", "list");
        run(env, "mailboxes", "list", "--json");
        run(env, "mailboxes", "orphans", "--manifest", manifest.toString());
        run(env, "retire", "--manifest", manifest.toString(), "--all", "--dry-run");
        String firstAgent = JSON.readTree(manifest.toFile()).path("agents").get(0).path("id").asText();
        run(env, "retire", "--manifest", manifest.toString(), "--agent", firstAgent, "--json");
        run(env, "mailboxes", "orphans", "--manifest", manifest.toString(), "--delete");
        Map<String, String> rotated = new HashMap<>(env);
        rotated.put("MAILJET_INBOUND_SECRET", NEW_INBOUND_SECRET);
        run(rotated, "routes", "rotate-secret");
        run(rotated, "routes", "rotate-secret");
        Map<String, String> smtp = new HashMap<>(env);
        smtp.put("MAILJET_SMTP_HOST", "127.0.0.1");
        smtp.put("MAILJET_SMTP_PORT", "1");
        run(smtp, "send", "--from", "agent@" + DOMAIN, "--to", "bob@example.org", "--subject", "s", "--text", "t");
        run(env, "send", "--from", "agent@" + DOMAIN, "--to", "bob@example.org", "--subject", "s", "--text", "t",
                "--from-name", "x\ny");
        run(Map.of("MAILJET_INBOUND_SECRET", "short" + INBOUND_SECRET.substring(0, 3)), "inbound-server",
                "--maildir", dir.resolve("never").toString());

        ConfigSource config = ConfigSource.of(env);
        library(() -> MailjetSettings.from(config));
        library(() -> DesecSettings.from(config));
        library(() -> {
            try (MailAutomation mail = MailAutomation.fromConfiguration(config)) {
                return mail + " " + mail.bootstrapDomain(BootstrapOptions.defaults()
                        .withVerification(Duration.ZERO, Duration.ofSeconds(1))).render();
            }
        });
        library(() -> {
            try (MailAutomation mail = MailAutomation.fromConfiguration(ConfigSource.of(wrongToken))) {
                return mail.bootstrapDomain(BootstrapOptions.defaults()).render();
            }
        });
        library(() -> {
            try (MailjetProvisioner mailjet = MailjetProvisioner.builder(MailjetSettings.from(ConfigSource.of(rotated)))
                    .build()) {
                return mailjet + " " + mailjet.repointRoutes() + " " + mailjet.createMailbox(MailboxRequest.of(
                        new MailboxAddress("lib.flow.001.20241005123045", DOMAIN))) + " " + mailjet.listMailboxes(DOMAIN);
            }
        });

        assertNoMarker(configurationMarkers());
        assertThat(log.toString(StandardCharsets.UTF_8)).as("the DEBUG log was captured").contains("DEBUG");
        assertThat(populated.exitCode()).as(populated.err()).isZero();
        assertThat(commands).contains("name", "dns-bootstrap", "dyndns", "populate", "mailboxes list",
                "mailboxes orphans", "retire", "routes rotate-secret", "send", "inbound-server");
        assertThat(exits).containsEntry("name", List.of(0)).containsEntry("dns-bootstrap", List.of(0, 0, 2))
                .containsEntry("dyndns", List.of(0, 1)).containsEntry("populate", List.of(0, 0, 0, 0, 2))
                .containsEntry("mailboxes list", List.of(0, 0)).containsEntry("mailboxes orphans", List.of(0, 0))
                .containsEntry("retire", List.of(0, 0)).containsEntry("routes rotate-secret", List.of(0, 0))
                .containsEntry("send", List.of(1, 2)).containsEntry("inbound-server", List.of(2));

        CommandRun asked = shown(env, populate("--show-secrets"));
        assertThat(asked.exitCode()).as(asked.err()).isZero();
        assertThat(asked.out()).as("--show-secrets shows the SMTP password").contains(FakeMailjet.SECRET);
    }

    @Test
    void populateInEveryCredentialsModeShowsTheKeysSecretsOnlyWhenAsked() {
        Map<String, String> env = fakes.env();
        Path manifest = dir.resolve("population.json");

        CommandRun population = run(env, populate("--credentials", "population", "--manifest", manifest.toString()));
        run(env, "populate", "--manifest", manifest.toString(), "--create-mailboxes", "--credentials", "population",
                "--json");
        CommandRun agents = run(env, populate("--credentials", "agent", "--json"));
        run(env, populate("--credentials", "account"));
        run(env, populate("--credentials", "nonsense"));
        run(fakes.env(Map.of("MAILJET_CREDENTIALS_MODE", "population")), "populate", "--count", "1", "--country", "ES",
                "--create-mailboxes");
        CommandRun askedPopulation = shown(env, "populate", "--manifest", manifest.toString(), "--create-mailboxes",
                "--credentials", "population", "--show-secrets");
        CommandRun askedAgents = shown(env, populate("--credentials", "agent", "--show-secrets"));
        run(env, "retire", "--manifest", manifest.toString(), "--all");
        library(() -> {
            MailjetSettings settings = MailjetSettings.from(ConfigSource.of(env));
            try (MailjetProvisioner mailjet = MailjetProvisioner.builder(settings)
                    .credentialsMode(MailjetCredentialsMode.population("library-flow")).build()) {
                return mailjet + " " + mailjet.createMailbox(MailboxRequest.of(
                        new MailboxAddress("lib.flow.002.20241005123045", DOMAIN)));
            }
        });

        assertThat(exits).containsEntry("populate", List.of(0, 0, 0, 0, 2, 0)).containsEntry("retire", List.of(0));
        List<String> keySecrets = fakes.mailjet.secretKeys();
        assertThat(keySecrets).as("two population keys of the command line, three agent keys, the library's").hasSize(6);
        List<String> markers = new ArrayList<>(configurationMarkers());
        markers.addAll(keySecrets);
        assertNoMarker(markers);

        String populationSecret = fakes.mailjet.secretKeyOf(
                "azt3knet-population-agents.example.org-20241005123045-7").orElseThrow();
        assertThat(askedPopulation.out()).as(askedPopulation.err()).contains(populationSecret)
                .doesNotContain(FakeMailjet.SECRET);
        assertThat(askedAgents.lines()).hasSize(3).allSatisfy(l -> assertThat(keySecrets.stream().filter(l::contains))
                .hasSize(1));
    }

    @Test
    void theSandboxDemoAndInboxCommandsShowNoSecretUnlessAsked() throws Exception {
        Path sandbox = dir.resolve("sandbox");
        run(Map.of(), "demo", "--count", "3", "--sandbox-dir", sandbox.toString());

        StringWriter upOut = new StringWriter();
        AtomicReference<CommandRun> upRun = new AtomicReference<>();
        Thread up = new Thread(() -> upRun.set(CommandRun.run(new ByteArrayInputStream(new byte[0]), upOut, Map.of(),
                "sandbox", "up", "--sandbox-dir", sandbox.toString(), "--smtp-port", "0", "--http-port", "0")));
        up.start();
        List<String> addresses = new ArrayList<>();
        try {
            for (int i = 0; i < 600 && !upOut.toString().contains("MAILJET_INBOUND_URL"); i++) {
                Thread.sleep(100);
            }
            assertThat(upOut.toString()).contains("MAILJET_INBOUND_URL");
            CommandRun populated = run(Map.of(), "populate", "--count", "2", "--country", "ES", "--seed", "99", "--at",
                    AT, "--create-mailboxes", "--sandbox", "--sandbox-dir", sandbox.toString(), "--json");
            assertThat(populated.exitCode()).as(populated.err()).isZero();
            for (String line : populated.lines()) {
                addresses.add(JSON.readTree(line).path("address").asText());
            }
            run(Map.of(), "send", "--sandbox", "--sandbox-dir", sandbox.toString(), "--from", addresses.get(0), "--to",
                    addresses.get(1), "--subject", "Hola", "--text", "Hola");
            run(Map.of(), "send", "--sandbox", "--sandbox-dir", sandbox.toString(), "--from", addresses.get(0), "--to",
                    addresses.get(1), "--subject", "x\ny", "--text", "Hola");
            run(Map.of(), "inbox", "wait", addresses.get(1), "--sandbox", "--sandbox-dir", sandbox.toString(),
                    "--timeout", "30s", "--peek", "--json");
            CommandRun listed = run(Map.of(), "inbox", "list", addresses.get(1), "--sandbox", "--sandbox-dir",
                    sandbox.toString(), "--json");
            String id = JSON.readTree(listed.lines().get(0)).path("id").asText();
            run(Map.of(), "inbox", "read", addresses.get(1), id, "--sandbox", "--sandbox-dir", sandbox.toString());
            run(Map.of(), "inbox", "list", addresses.get(0), "--sandbox", "--sandbox-dir", sandbox.toString());
            run(Map.of(), "inbox", "prune", "--older-than", "30d", "--dry-run", "--maildir",
                    sandbox.resolve("maildir").toString());
            run(Map.of(), "dns-bootstrap", "--sandbox", "--sandbox-dir", sandbox.toString());
            run(Map.of(), "mailboxes", "list", "--sandbox", "--sandbox-dir", sandbox.toString());
        } finally {
            up.interrupt();
            up.join(30_000);
        }
        record(upRun.get(), "sandbox", "up");
        seen.add(upOut.toString());

        List<String> markers = new ArrayList<>(sandboxSecrets(sandbox));
        assertThat(markers).as("the webhook secret, the demo's and populate's mailbox passwords").hasSizeGreaterThan(3);
        assertNoMarker(markers);
        assertThat(commands).contains("demo", "sandbox up", "populate", "send", "inbox wait", "inbox list", "inbox read",
                "inbox prune");
        assertThat(exits).containsEntry("demo", List.of(0)).containsEntry("send", List.of(0, 2))
                .containsEntry("inbox wait", List.of(0)).containsEntry("inbox list", List.of(0, 0))
                .containsEntry("inbox read", List.of(0)).containsEntry("inbox prune", List.of(0))
                .containsEntry("dns-bootstrap", List.of(0)).containsEntry("mailboxes list", List.of(0))
                .containsEntry("sandbox up", List.of(0));

        CommandRun asked = shown(Map.of(), "populate", "--count", "2", "--country", "ES", "--seed", "99", "--at", AT,
                "--create-mailboxes", "--sandbox", "--sandbox-dir", sandbox.toString(), "--show-secrets");
        assertThat(asked.exitCode()).as(asked.err()).isZero();
        assertThat(asked.lines()).hasSize(2).allSatisfy(l -> assertThat(markers.stream().filter(l::contains)).hasSize(1));
    }

    /** The sandbox's own secrets: the webhook's, and every mailbox's SMTP password. */
    private static List<String> sandboxSecrets(Path sandbox) throws Exception {
        List<String> secrets = new ArrayList<>();
        secrets.add(Files.readString(sandbox.resolve("webhook.secret")).strip());
        try (Stream<Path> files = Files.list(sandbox.resolve("mailboxes"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode mailbox = JSON.readTree(f.toFile());
                secrets.add(mailbox.path("password").asText());
            }
        }
        return secrets;
    }

    @Test
    void theInboundServerNeverShowsItsSecretsNorAWrongOneItWasGiven() throws Exception {
        Map<String, String> env = Map.of("MAILJET_INBOUND_URL", ProviderFakes.INBOUND_URL,
                "MAILJET_INBOUND_SECRET", INBOUND_SECRET, "MAILJET_INBOUND_SECRET_PREVIOUS", PREVIOUS_INBOUND_SECRET);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Azt3knetMailCommand.commandLine(new CliEnvironment(new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out), new PrintWriter(err), env));
        InboundServerCommand command = cli.getSubcommands().get("inbound-server").getCommand();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        List<Integer> statuses = new ArrayList<>();
        String wrong = "wr0ng-s3cret-guess-9999";
        try {
            Future<Integer> exit = runner.submit(() -> cli.execute("inbound-server", "--port", "0", "--maildir",
                    dir.resolve("maildir").toString(), "--per-recipient"));
            InboundWebhookServer server = command.awaitStarted();
            URI url = URI.create("http://127.0.0.1:" + server.port() + "/mailjet/inbound");
            HttpClient client = HttpClient.newHttpClient();
            String payload = "{\"Sender\":\"a@example.org\",\"Recipient\":\"jane.doe.123.20241005123045@" + DOMAIN + "\","
                    + "\"From\":\"a@example.org\",\"Subject\":\"hi\",\"Headers\":{\"Message-ID\":\"<m1@example.org>\"},"
                    + "\"Parts\":[],\"ContentRef\":\"Text-part\",\"Text-part\":\"hi\"}";
            for (String secret : List.of(INBOUND_SECRET, PREVIOUS_INBOUND_SECRET, wrong)) {
                statuses.add(client.send(HttpRequest.newBuilder(url).header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("mailjet:" + secret).getBytes(StandardCharsets.UTF_8)))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(payload)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            statuses.add(client.send(HttpRequest.newBuilder(URI.create(url + "?token=" + wrong))
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(payload)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            server.close();
            assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        } finally {
            runner.shutdownNow();
        }
        commands.add("inbound-server");
        seen.add(out + "\n" + err);

        assertThat(statuses).containsExactly(200, 200, 401, 401);
        assertThat(out.toString()).contains("STORED 200").contains("REJECTED 401");
        assertNoMarker(List.of(INBOUND_SECRET, PREVIOUS_INBOUND_SECRET, wrong));
        assertThat(Secret.of(INBOUND_SECRET).toString()).doesNotContain(INBOUND_SECRET);
    }
}
