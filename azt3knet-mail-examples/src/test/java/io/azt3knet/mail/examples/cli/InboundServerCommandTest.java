package io.azt3knet.mail.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.inbound.webhook.InboundWebhookServer;
import java.io.ByteArrayInputStream;
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
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InboundServerCommandTest {

    private static final String SECRET = "s3cret-0123456789abcdef";

    @TempDir
    Path maildir;

    /** A Mailjet Parse API payload: single-part form, array and string header values. */
    private static final String PAYLOAD = """
            {"Sender":"bounce@example.org","Recipient":"agent@agents.example","Date":"20240305T091522",
             "From":"Alice <alice@example.org>","Subject":"Grüße",
             "Headers":{"Received":["from mail.example.org\\tby parse-in.mailjet.com"],"Message-ID":"<1@example.org>",
                        "Content-Type":["text/plain; charset=utf-8"]},
             "Parts":[],"ContentRef":"Text-part","Text-part":"hi","SpamAssassinScore":"0.602"}""";

    @Test
    void servesOnThePathOfTheInboundUrlStoresOncePrintsALinePerCallAndStopsCleanly() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> env = Map.of("MAILJET_INBOUND_URL", "https://hooks.example.org/hooks/mj",
                "MAILJET_INBOUND_SECRET", SECRET);
        CommandLine cli = Azt3knetMailCommand.commandLine(new CliEnvironment(new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out), new PrintWriter(err), env));
        InboundServerCommand command = cli.getSubcommands().get("inbound-server").getCommand();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> exit = runner.submit(() -> cli.execute("inbound-server", // binds 127.0.0.1 by default
                    "--port", "0", "--maildir", maildir.toString()));
            InboundWebhookServer server = command.awaitStarted();
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/hooks/mj"))
                    .header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString(("mailjet:" + SECRET).getBytes(StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(PAYLOAD)).build();

            assertThat(client.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(client.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            server.close(); // what the Ctrl-C hook does

            assertThat(exit.get(30, TimeUnit.SECONDS)).isEqualTo(0);
        } finally {
            runner.shutdownNow();
        }
        try (Stream<Path> files = Files.list(maildir.resolve("new"))) {
            assertThat(files.count()).isEqualTo(1);
        }
        assertThat(out.toString()).contains("listening on http://127.0.0.1:", "/hooks/mj")
                .contains("STORED 200 agent@agents.example", "\"Grüße\"")
                .contains("DUPLICATE 200 agent@agents.example")
                .contains("stopped")
                .doesNotContain(SECRET);
    }

    @Test
    void needsAMaildir() {
        CommandRun run = CommandRun.run("", Map.of(), "inbound-server", "--port", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--maildir");
    }

    @Test
    void refusesToStartWithoutTheSecretNamingTheVariable() {
        CommandRun run = CommandRun.run("", Map.of(), "inbound-server", "--port", "0", "--maildir", maildir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("MAILJET_INBOUND_SECRET is required", "--insecure-no-auth");
        assertThat(run.out()).doesNotContain("listening");
    }

    @Test
    void refusesAWeakSecretWithoutPrintingIt() {
        CommandRun run = CommandRun.run("", Map.of("MAILJET_INBOUND_SECRET", "hunter2"), "inbound-server",
                "--port", "0", "--maildir", maildir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("MAILJET_INBOUND_SECRET must be at least 16 characters").doesNotContain("hunter2");
    }

    @Test
    void startsWithoutASecretOnlyWhenToldToAndWarnsAboutIt() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Azt3knetMailCommand.commandLine(new CliEnvironment(new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out), new PrintWriter(err), Map.of()));
        InboundServerCommand command = cli.getSubcommands().get("inbound-server").getCommand();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> exit = runner.submit(() -> cli.execute("inbound-server", "--insecure-no-auth",
                    "--port", "0", "--maildir", maildir.toString()));
            InboundWebhookServer server = command.awaitStarted();
            HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                            + InboundServerCommand.DEFAULT_PATH))
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(PAYLOAD)).build();

            assertThat(HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
            assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
            server.close();
            assertThat(exit.get(30, TimeUnit.SECONDS)).isEqualTo(0);
        } finally {
            runner.shutdownNow();
        }
        assertThat(err.toString()).contains("WARNING: --insecure-no-auth");
        assertThat(out.toString()).contains("INSECURE");
    }
}
