package io.azt3knet.mail.examples.cli;

import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.config.SettingsReader;
import io.azt3knet.mail.inbound.webhook.DeliveryEvent;
import io.azt3knet.mail.inbound.InboundParser;
import io.azt3knet.mail.mailjet.MailjetInboundParser;
import io.azt3knet.mail.inbound.webhook.InboundSecretRule;
import io.azt3knet.mail.inbound.webhook.InboundWebhookHandler;
import io.azt3knet.mail.internal.util.LogText;
import io.azt3knet.mail.inbound.webhook.InboundWebhookServer;
import io.azt3knet.mail.inbound.maildir.MaildirSink;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code azt3knet-mail inbound-server}: runs the inbound webhook and stores every message in a Maildir,
 * printing one line per call (time, outcome, status, recipient, size, subject). Ctrl-C stops it after the
 * calls in flight are done. Put it behind a TLS-terminating proxy: the provider must reach it over HTTPS.
 */
@Command(name = "inbound-server",
        description = {"Run the inbound webhook and store what arrives in a Maildir (tmp/ -> new/, fsync'd).",
            "Callers authenticate with MAILJET_INBOUND_SECRET (Basic password or ?token=), which is required "
                    + "unless --insecure-no-auth is given. Listens on 127.0.0.1 unless --bind says otherwise: "
                    + "put it behind a TLS reverse proxy."})
final class InboundServerCommand implements Callable<Integer> {

    /** Variable holding the public URL of the webhook; its path is the default {@code --path}. */
    static final String INBOUND_URL = "MAILJET_INBOUND_URL";
    /** Variable holding the shared secret. */
    static final String INBOUND_SECRET = "MAILJET_INBOUND_SECRET";
    /** Variable holding the secret being retired during a rotation, accepted beside the current one. */
    static final String PREVIOUS_SECRET = "MAILJET_INBOUND_SECRET_PREVIOUS";
    /** Path used when neither {@code --path} nor {@code MAILJET_INBOUND_URL} says otherwise. */
    static final String DEFAULT_PATH = "/mailjet/inbound";

    @ParentCommand
    private @Nullable Azt3knetMailCommand root;

    @Option(names = "--port", paramLabel = "<port>", defaultValue = "8025",
            description = "port to listen on (default: ${DEFAULT-VALUE}; 0 for any free port)")
    private int port;

    @Option(names = "--bind", paramLabel = "<address>", defaultValue = "127.0.0.1",
            description = "interface to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for all)")
    private String bind = "127.0.0.1";

    @Option(names = "--insecure-no-auth",
            description = "accept every caller without " + INBOUND_SECRET + " (only behind a proxy that authenticates)")
    private boolean insecureNoAuth;

    @Option(names = "--max-connections-per-client", paramLabel = "<n>", defaultValue = "16",
            description = "open connections one client address may hold (default: ${DEFAULT-VALUE})")
    private int maxConnectionsPerClient;

    @Option(names = "--maildir", required = true, paramLabel = "<dir>", description = "Maildir to store messages in")
    private Path maildir = Path.of(".");

    @Option(names = "--path", paramLabel = "<path>",
            description = "webhook path (default: the path of " + INBOUND_URL + ", else " + DEFAULT_PATH + ")")
    private @Nullable String path;

    @Option(names = "--per-recipient", description = "one Maildir per recipient address below --maildir")
    private boolean perRecipient;

    @Option(names = "--max-body-mb", paramLabel = "<MB>", defaultValue = "25",
            description = "largest request body accepted, in MB (default: ${DEFAULT-VALUE})")
    private int maxBodyMb;

    @Option(names = "--threads", paramLabel = "<n>",
            defaultValue = "" + InboundWebhookServer.Builder.DEFAULT_THREADS,
            description = "worker threads: deliveries wait for the disk, and this many share its flushes; each may "
                    + "hold one body in memory (default: ${DEFAULT-VALUE})")
    private int threads;

    private final Supplier<InboundParser> parser;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile @Nullable InboundWebhookServer server;

    /** Used by picocli: Mailjet's payload parser. */
    InboundServerCommand() {
        this(MailjetInboundParser::create);
    }

    /** @param parser the provider's payload parser (tests give their own) */
    InboundServerCommand(Supplier<InboundParser> parser) {
        this.parser = parser;
    }

    @Override
    public Integer call() throws InterruptedException {
        Azt3knetMailCommand top = Azt3knetMailCommand.parent(root, "inbound-server");
        DemoCommand.quietServerLogs(); // the command prints its own "listening on" line
        ConfigSource config = top.config(Map.of());
        SettingsReader reader = new SettingsReader(config);
        String webhookPath = path != null ? path : reader.optional(INBOUND_URL).map(InboundServerCommand::pathOf)
                .orElse(DEFAULT_PATH);
        var secret = reader.optionalSecret(INBOUND_SECRET);
        secret.flatMap(s -> InboundSecretRule.problem(INBOUND_SECRET, s)).ifPresent(reader::problem);
        var previous = reader.optionalSecret(PREVIOUS_SECRET);
        previous.flatMap(s -> InboundSecretRule.problem(PREVIOUS_SECRET, s)).ifPresent(reader::problem);
        if (previous.isPresent() && secret.isEmpty()) {
            reader.problem(PREVIOUS_SECRET + " is only accepted beside " + INBOUND_SECRET);
        }
        if (secret.isEmpty() && !insecureNoAuth) {
            reader.problem(INBOUND_SECRET + " is required: every caller must authenticate (generate one with "
                    + "openssl rand -hex 24 and set it in the environment or .env); --insecure-no-auth accepts "
                    + "every caller instead");
        }
        reader.validate();
        if (port < 0 || port > 65535 || maxBodyMb < 1 || threads < 1 || threads > 256
                || maxConnectionsPerClient < 1 || maxConnectionsPerClient > 10_000) {
            throw CliException.badInput("--port must be 0..65535, --max-body-mb at least 1, --threads 1..256, "
                    + "--max-connections-per-client 1..10000");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw CliException.badInput("--bind " + LogText.escape(bind) + ": not an address of this machine");
        }

        PrintWriter out = top.out();
        MaildirSink sink = MaildirSink.builder(maildir).perRecipient(perRecipient).build();
        InboundWebhookHandler.Builder handlerBuilder = InboundWebhookHandler.builder(parser.get(), sink)
                .maxBodyBytes(maxBodyMb * 1024L * 1024L)
                .listener(event -> log(out, event));
        if (secret.isPresent()) {
            handlerBuilder.secret(secret.get());
            previous.ifPresent(handlerBuilder::previousSecret);
        } else {
            handlerBuilder.allowUnauthenticated();
            top.err().println("inbound-server: WARNING: --insecure-no-auth: every caller is accepted without "
                    + INBOUND_SECRET + "; anyone who reaches " + bind + ":" + port + " can store mail");
            top.err().flush();
        }
        InboundWebhookHandler handler = handlerBuilder.build();
        InboundWebhookServer running;
        try {
            running = InboundWebhookServer.builder(handler).bindAddress(address).port(port).path(webhookPath)
                    .threads(threads).maxConnectionsPerClient(maxConnectionsPerClient)
                    .shutdownTimeout(Duration.ofSeconds(30)).start();
        } catch (UncheckedIOException e) {
            sink.close();
            throw CliException.failed(e.getMessage(), e);
        }
        server = running;
        Thread hook = new Thread(running::close, "inbound-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        synchronized (out) {
            out.println("listening on http://" + running.address().getAddress().getHostAddress() + ":" + running.port()
                    + webhookPath + ", storing into " + sink.root() + (secret.isEmpty() ? " (INSECURE: no secret, open to all)" : "")
                    + (previous.isPresent() ? " (rotating: " + PREVIOUS_SECRET + " accepted too)" : ""));
            out.flush();
        }
        started.countDown();
        running.awaitStop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // stopping because of Ctrl-C: the hook is running
        }
        sink.close();
        synchronized (out) {
            out.println("stopped");
            out.flush();
        }
        return Azt3knetMailCommand.EXIT_OK;
    }

    private static String pathOf(String url) {
        try {
            String p = URI.create(url).getPath();
            return p == null || p.isEmpty() ? "/" : p;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(INBOUND_URL + " is not a valid URL");
        }
    }

    /** One line per call: time, outcome, status, recipient, size, subject. */
    private static void log(PrintWriter out, DeliveryEvent e) {
        String line = Instant.now() + " " + e.outcome() + " " + e.status() + " "
                + e.recipient().map(InboundServerCommand::printable).orElse("-") + " " + e.bodyBytes() + "B "
                + e.subject().map(s -> "\"" + printable(s) + "\"").orElse("")
                + (e.detail().isEmpty() ? "" : " (" + printable(e.detail()) + ")");
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private static String printable(String s) {
        return LogText.escape(s.length() > 120 ? s.substring(0, 120) + "..." : s);
    }

    /** For tests: waits until the server listens, then returns it. */
    InboundWebhookServer awaitStarted() throws InterruptedException {
        started.await();
        InboundWebhookServer s = server;
        if (s == null) {
            throw new IllegalStateException("not started");
        }
        return s;
    }
}
