package io.azt3knet.mail.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.config.ProvisioningSettings;
import io.azt3knet.mail.inbound.InboundSink;
import io.azt3knet.mail.inbound.maildir.MaildirMessageStore;
import io.azt3knet.mail.inbound.maildir.MaildirSink;
import io.azt3knet.mail.inbound.webhook.InboundWebhookHandler;
import io.azt3knet.mail.inbound.webhook.InboundWebhookServer;
import io.azt3knet.mail.inbox.MessageStore;
import io.azt3knet.mail.mailjet.MailjetInboundParser;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.send.MailService;
import io.azt3knet.mail.send.SmtpSettings;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The whole mail loop on one machine, with no account and no network beyond loopback: a running sandbox.
 *
 * <p>{@link #builder(Path)}{@code ...start()} prepares the directory and starts two servers on 127.0.0.1: the SMTP
 * server agents send through (STARTTLS with the sandbox's own certificate, AUTH with the credentials the sandbox
 * issued) and the inbound webhook (core's {@link InboundWebhookServer} and {@link InboundWebhookHandler} with the
 * production {@link MailjetInboundParser} and a per-recipient {@link MaildirSink}). Each message for a sandbox mailbox
 * is turned into the JSON Mailjet's Parse API would POST and POSTed to that webhook with the shared secret, so it
 * travels the same code path as in production and lands in {@code <dir>/maildir/<address>/}. Mail for other domains
 * lands in {@code <dir>/outbox/}, never anywhere else.
 *
 * <pre>{@code
 * try (Sandbox sandbox = Sandbox.builder(Path.of(".azt3knet-sandbox")).start()) {
 *     MailAutomation mail = sandbox.automation();                  // sandbox provisioner and DNS
 *     MailboxCredentials ada = mail.provisioner().createMailbox(MailboxRequest.of(adaAddress)).credentials();
 *     try (MailService smtp = sandbox.mailService(ada)) {          // trusts exactly the sandbox's certificate
 *         smtp.send(OutgoingMessage.builder().to(bobAddress.value()).subject("Hi").text("Hello Bob").build());
 *     }                                                            // returns once Bob's Maildir holds it
 *     StoredMessage received = sandbox.inbox().waitFor(bobAddress, MessageMatch.any(), Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * The directory layout: {@code mailboxes/} (one 0600 file per agent, with its SMTP password), {@code domains/},
 * {@code zones/}, {@code tls/} (certificate, key, truststore), {@code webhook.secret}, {@code maildir/},
 * {@code outbox/}, and {@code sandbox.json} while a sandbox started with {@link Builder#announce(boolean)} runs.
 * Everything persists: a second start in the same directory finds its mailboxes, zone, certificate and mail.
 * {@link #close()} stops both servers.
 */
public final class Sandbox implements AutoCloseable {

    /** The sandbox domain when {@code DESEC_DOMAIN} is not set. */
    public static final String DEFAULT_DOMAIN = "agents.azt3knet.test";
    /** The SMTP port of {@code sandbox up} unless told otherwise. */
    public static final int DEFAULT_SMTP_PORT = 2525;
    /** The webhook port of {@code sandbox up} unless told otherwise. */
    public static final int DEFAULT_HTTP_PORT = 8025;
    /** The path the sandbox webhook answers on. */
    public static final String WEBHOOK_PATH = "/inbound";
    /** The file a running, announced sandbox describes itself in. */
    public static final String STATE_FILE = "sandbox.json";

    private final Path directory;
    private final String domain;
    private final SandboxTls tls;
    private final InboundWebhookServer webhook;
    private final MaildirSink sink;
    private final WebhookDelivery delivery;
    private final SandboxSmtpServer smtp;
    private final SandboxMailboxProvisioner provisioner;
    private final SandboxDnsManager dns;
    private final MailAutomation automation;
    private final boolean announced;
    private @Nullable MessageStore inbox;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private Sandbox(Builder b) {
        this.directory = SandboxFiles.directory(b.directory.toAbsolutePath().normalize());
        this.domain = b.domain;
        this.tls = SandboxTls.loadOrCreate(directory);
        Secret secret = webhookSecret(directory);
        List<AutoCloseable> started = new ArrayList<>();
        try {
            InboundSink inbound;
            try {
                this.sink = MaildirSink.builder(SandboxFiles.directory(maildirRoot(directory))).perRecipient(true).build();
                started.add(sink);
                inbound = sink;
            } catch (java.io.UncheckedIOException e) {
                throw new java.io.UncheckedIOException("cannot open the sandbox Maildir in " + maildirRoot(directory)
                        + ": " + e.getMessage(), e.getCause());
            }
            if (b.chaos.webhookFailureShare() > 0) {
                inbound = new ChaosSink(inbound, b.chaos);
            }
            InboundWebhookHandler handler = InboundWebhookHandler.builder(MailjetInboundParser.create(), inbound)
                    .secret(secret)
                    .build();
            try {
                this.webhook = InboundWebhookServer.builder(handler)
                        .bindAddress(InetAddress.getLoopbackAddress())
                        .port(b.httpPort)
                        .path(WEBHOOK_PATH)
                        .threads(b.webhookThreads)
                        .shutdownTimeout(Duration.ofSeconds(10))
                        .start();
            } catch (java.io.UncheckedIOException e) {
                throw new ConfigurationException("cannot listen for the sandbox webhook on 127.0.0.1:" + b.httpPort + " ("
                        + e.getMessage() + "); choose another port, e.g. --http-port 0 for any free one");
            }
            started.add(webhook);
            this.delivery = new WebhookDelivery(webhookUrl(), secret, b.deliveryAttempts, Duration.ofMillis(25));
            SandboxMailboxProvisioner logins = SandboxMailboxProvisioner.builder(directory).build();
            this.smtp = new SandboxSmtpServer(b.smtpPort, domain, logins, tls, delivery, b.chaos,
                    directory.resolve("outbox"));
            started.add(smtp);
            this.provisioner = SandboxMailboxProvisioner.builder(directory)
                    .smtpEndpoint("localhost", smtp.port()).inboundUrl(webhookUrl()).build();
            this.dns = SandboxDnsManager.builder(directory).build();
            this.automation = MailAutomation.builder()
                    .settings(ProvisioningSettings.of(domain))
                    .provisioner(provisioner)
                    .dnsManager(dns)
                    .build();
            this.announced = b.announce;
            if (announced) {
                writeState();
            }
        } catch (RuntimeException e) {
            for (AutoCloseable c : started) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * @param directory the sandbox directory, created (mode 0700) when missing
     * @return a builder: domain {@value #DEFAULT_DOMAIN}, any free ports, no chaos
     */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /**
     * The sandbox domain of a configuration: {@code DESEC_DOMAIN} when set, else {@value #DEFAULT_DOMAIN}.
     *
     * @param config the configuration
     * @return the domain
     */
    public static String domain(ConfigSource config) {
        return config.get(ProvisioningSettings.DOMAIN).map(d -> d.strip().toLowerCase(Locale.ROOT))
                .filter(d -> !d.isEmpty()).orElse(DEFAULT_DOMAIN);
    }

    /**
     * Finds the sandbox that {@code sandbox up} runs on a directory, from its {@value #STATE_FILE}.
     *
     * @param directory the sandbox directory
     * @return the running sandbox, or empty when none runs (no file, or its process is gone)
     */
    public static Optional<RunningSandbox> running(Path directory) {
        return RunningSandbox.read(directory.toAbsolutePath().normalize());
    }

    /** @return the sandbox directory (absolute) */
    public Path directory() {
        return directory;
    }

    /** @return the sandbox's mail domain */
    public String domain() {
        return domain;
    }

    /** @return the SMTP port on 127.0.0.1 */
    public int smtpPort() {
        return smtp.port();
    }

    /** @return the webhook port on 127.0.0.1 */
    public int httpPort() {
        return webhook.port();
    }

    /** @return the webhook's URL (the shared secret is in {@code <dir>/webhook.secret}) */
    public URI webhookUrl() {
        return URI.create("http://127.0.0.1:" + webhook.port() + WEBHOOK_PATH);
    }

    /** @return how to reach the SMTP server: {@code localhost}, its port, STARTTLS */
    public SmtpSettings smtpSettings() {
        return SmtpSettings.of("localhost", smtp.port());
    }

    /** @return a truststore holding exactly the sandbox's certificate */
    public KeyStore trustStore() {
        return tls.trustStore();
    }

    /** @return the truststore file (PKCS12, password {@code changeit}: it holds only the public certificate) */
    public Path trustStoreFile() {
        return tls.trustStoreFile();
    }

    /** @return the sandbox's certificate as PEM, for clients outside the JVM */
    public Path certificateFile() {
        return tls.certificateFile();
    }

    /** @return a {@link MailAutomation} wired to the sandbox's provisioner and DNS manager, for its domain */
    public MailAutomation automation() {
        return automation;
    }

    /** @return the sandbox's mailbox provisioner (credentials point at this sandbox's SMTP port) */
    public SandboxMailboxProvisioner provisioner() {
        return provisioner;
    }

    /** @return the sandbox's DNS manager */
    public SandboxDnsManager dnsManager() {
        return dns;
    }

    /**
     * @param address an agent's address
     * @return its credentials, password included, or empty when it has no sandbox mailbox
     */
    public Optional<MailboxCredentials> credentials(MailboxAddress address) {
        return provisioner.credentials(address);
    }

    /**
     * @param credentials an agent's sandbox credentials
     * @return a mail service sending as that agent through this sandbox, trusting exactly its certificate
     */
    public MailService mailService(MailboxCredentials credentials) {
        return MailService.builder().credentials(credentials).trustStore(trustStore()).build();
    }

    /**
     * @param address an agent's address
     * @return the Maildir its mail is delivered to
     */
    public Path maildir(MailboxAddress address) {
        return maildirRoot(directory).resolve(address.value());
    }

    /** @return the directory holding mail for other domains, one {@code .eml} per message */
    public Path outbox() {
        return directory.resolve("outbox");
    }

    /**
     * The agents' mail, read back through core's inbox API: list, get, mark seen, wait for a message with a timeout,
     * threads. Closed with the sandbox.
     *
     * @return the message store over {@code <dir>/maildir/}
     */
    public synchronized MessageStore inbox() {
        if (inbox == null) {
            inbox = MaildirMessageStore.builder(maildirRoot(directory)).layout(MaildirMessageStore.Layout.PER_RECIPIENT)
                    .build();
        }
        return inbox;
    }

    /** @return how many messages the SMTP server has answered 250 since it started */
    public long acceptedMessages() {
        return smtp.accepted();
    }

    static Path maildirRoot(Path directory) {
        return directory.resolve("maildir");
    }

    private static Secret webhookSecret(Path directory) {
        Path file = directory.resolve("webhook.secret");
        byte[] fresh = new byte[24];
        new SecureRandom().nextBytes(fresh);
        SandboxFiles.createExclusively(file, Base64.getUrlEncoder().withoutPadding().encodeToString(fresh)
                .getBytes(StandardCharsets.US_ASCII));
        String value = new String(SandboxFiles.read(file).orElseThrow(), StandardCharsets.US_ASCII).strip();
        if (value.length() < 16) {
            throw new ConfigurationException(file + " holds a secret shorter than 16 characters; delete it to have a new "
                    + "one made");
        }
        return Secret.of(value);
    }

    private void writeState() {
        ObjectNode json = SandboxFiles.JSON.createObjectNode();
        json.put("pid", ProcessHandle.current().pid());
        json.put("started", Instant.now().toString());
        json.put("domain", domain);
        json.put("smtpHost", "localhost");
        json.put("smtpPort", smtp.port());
        json.put("httpPort", webhook.port());
        json.put("inboundUrl", webhookUrl().toString());
        json.put("trustStore", trustStoreFile().toString());
        json.put("certificate", certificateFile().toString());
        SandboxFiles.write(directory.resolve(STATE_FILE), SandboxFiles.json(json));
    }

    /** Stops the SMTP server, then the webhook (calls in flight finish); removes {@value #STATE_FILE}. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        smtp.close();
        webhook.close();
        sink.close();
        synchronized (this) {
            if (inbox != null) {
                inbox.close();
            }
        }
        delivery.close();
        automation.close();
        if (announced) {
            RunningSandbox.removeIfOurs(directory);
        }
    }

    @Override
    public String toString() {
        return "Sandbox[" + directory + ", domain=" + domain + ", smtp=127.0.0.1:" + smtp.port() + ", webhook="
                + webhookUrl() + "]";
    }

    /** Builds and starts a {@link Sandbox}. */
    public static final class Builder {
        private final Path directory;
        private String domain = DEFAULT_DOMAIN;
        private int smtpPort;
        private int httpPort;
        private ChaosSettings chaos = ChaosSettings.none();
        private int deliveryAttempts = 5;
        private int webhookThreads = 4;
        private boolean announce;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /**
         * @param domain the sandbox's mail domain, default {@value #DEFAULT_DOMAIN}
         * @return this builder
         */
        public Builder domain(String domain) {
            this.domain = MailboxAddress.requireDomain(domain.strip().toLowerCase(Locale.ROOT));
            return this;
        }

        /**
         * @param port the SMTP port on 127.0.0.1, 0 (the default) for any free port
         * @return this builder
         */
        public Builder smtpPort(int port) {
            this.smtpPort = port(port);
            return this;
        }

        /**
         * @param port the webhook port on 127.0.0.1, 0 (the default) for any free port
         * @return this builder
         */
        public Builder httpPort(int port) {
            this.httpPort = port(port);
            return this;
        }

        private static int port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            return port;
        }

        /**
         * @param chaos seeded trouble for robustness tests, default {@link ChaosSettings#none()}
         * @return this builder
         */
        public Builder chaos(ChaosSettings chaos) {
            this.chaos = Objects.requireNonNull(chaos, "chaos");
            return this;
        }

        /**
         * @param attempts webhook calls per recipient before the SMTP sender gets a 451, 1..20, default 5
         * @return this builder
         */
        public Builder deliveryAttempts(int attempts) {
            if (attempts < 1 || attempts > 20) {
                throw new IllegalArgumentException("deliveryAttempts must be 1..20, got " + attempts);
            }
            this.deliveryAttempts = attempts;
            return this;
        }

        /**
         * @param threads the webhook's worker threads, 1..64, default 4
         * @return this builder
         */
        public Builder webhookThreads(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("webhookThreads must be 1..64, got " + threads);
            }
            this.webhookThreads = threads;
            return this;
        }

        /**
         * @param announce whether to write {@value #STATE_FILE} (ports and pid) while running, so that other
         *     processes ({@code send --sandbox}) find this sandbox; default false
         * @return this builder
         */
        public Builder announce(boolean announce) {
            this.announce = announce;
            return this;
        }

        /**
         * Prepares the directory (certificate on first start) and starts both servers.
         *
         * @return the running sandbox
         * @throws ConfigurationException if a port is taken or a file in the directory is damaged
         * @throws java.io.UncheckedIOException if the directory cannot be written
         */
        public Sandbox start() {
            return new Sandbox(this);
        }
    }
}
