package io.azt3knet.mail.sandbox;

import io.azt3knet.mail.internal.util.LogText;
import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.MailboxAddress;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The sandbox's SMTP server on loopback (SubEthaSMTP underneath). STARTTLS is required before anything but
 * {@code EHLO}, {@code NOOP} and {@code QUIT}; {@code AUTH} is advertised and accepted only after it, and only for
 * logins the {@link SandboxMailboxProvisioner} issued; {@code MAIL FROM} must be the logged-in agent. A recipient on
 * the sandbox domain without a mailbox gets 550 at {@code RCPT}; recipients elsewhere are accepted and the message
 * is written once to {@code <dir>/outbox/} as {@code .eml}, never relayed. For each local recipient the message
 * becomes the Mailjet Parse API payload and is POSTed to the sandbox's webhook; {@code DATA} is answered 250 only
 * once every local recipient's webhook call answered 2xx, and 451 otherwise, so that the sender retries (the
 * webhook's deduplication makes the retry store nothing twice).
 */
final class SandboxSmtpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxSmtpServer.class);
    /** Mailjet's inbound limit is about 15 MB; allow the same plus room for encoding. */
    static final int MAX_MESSAGE_BYTES = 20 * 1024 * 1024;
    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final String domain;
    private final SandboxMailboxProvisioner mailboxes;
    private final WebhookDelivery delivery;
    private final ChaosSettings chaos;
    private final Path outbox;
    private final SMTPServer server;
    private final ExecutorService sessions;
    private final Map<String, AtomicInteger> chaosAttempts = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final Map<String, Instant> firstSeen = new java.util.LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > 10_000;
        }
    };

    SandboxSmtpServer(int port, String domain, SandboxMailboxProvisioner mailboxes, SandboxTls tls,
            WebhookDelivery delivery, ChaosSettings chaos, Path outbox) {
        this.domain = domain;
        this.mailboxes = mailboxes;
        this.delivery = delivery;
        this.chaos = chaos;
        this.outbox = outbox;
        AtomicInteger threads = new AtomicInteger();
        this.sessions = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sandbox-smtp-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = SMTPServer.port(port)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("localhost") // no name lookup of our own host
                .softwareName("Azt3kNet Mail sandbox")
                .executorService(sessions)
                .enableTLS()
                .requireTLS()
                .startTlsSocketFactory(tls.startTls())
                .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory(this::login))
                .requireAuth()
                .insertReceivedHeaders(false) // ours, below, without a reverse lookup
                .maxMessageSize(MAX_MESSAGE_BYTES)
                .maxRecipients(100)
                .connectionTimeout(60, TimeUnit.SECONDS)
                .messageHandlerFactory(Transaction::new)
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            sessions.shutdownNow();
            throw new ConfigurationException("cannot listen for SMTP on 127.0.0.1:" + port + " (" + rootMessage(e)
                    + "); choose another port, e.g. --smtp-port 0 for any free one");
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return String.valueOf(c.getMessage());
    }

    /** @return the port the server listens on */
    int port() {
        return server.getPortAllocated();
    }

    /** @return how many messages were answered 250 */
    long accepted() {
        return accepted.get();
    }

    private void login(String username, String password, MessageContext context) throws LoginFailedException {
        if (mailboxes.authenticate(username, password).isEmpty()) {
            throw new LoginFailedException("5.7.8 Authentication credentials invalid");
        }
    }

    private int attempt(String subject) {
        return chaosAttempts.computeIfAbsent(subject, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void close() {
        server.stop();
        sessions.shutdownNow();
    }

    /** One mail transaction. */
    private final class Transaction implements MessageHandler {
        private final MessageContext context;
        private String sender = "";
        private final List<String> local = new ArrayList<>();
        private final List<String> remote = new ArrayList<>();

        Transaction(MessageContext context) {
            this.context = context;
        }

        private String login() {
            return context.getAuthenticationHandler().map(h -> String.valueOf(h.getIdentity())).orElse("");
        }

        @Override
        public void from(String from) throws RejectException {
            if (!from.equalsIgnoreCase(login())) {
                throw new RejectException(553, "5.7.1 Sender address <" + printable(from)
                        + "> is not the logged-in agent's own address");
            }
            sender = from;
        }

        @Override
        public void recipient(String recipient) throws RejectException {
            MailboxAddress address;
            try {
                address = MailboxAddress.parse(recipient.strip());
            } catch (IllegalArgumentException e) {
                throw new RejectException(553, "5.1.3 Bad recipient address syntax");
            }
            String subject = sender.toLowerCase(Locale.ROOT) + ">" + address.value().toLowerCase(Locale.ROOT);
            if (chaos.draw("rcpt-4xx", subject + "#" + attempt("rcpt:" + subject)) < chaos.rcptFailureShare()) {
                throw new RejectException(451, "4.3.0 Sandbox chaos: recipient temporarily refused, try again later");
            }
            if (address.domain().equals(domain)) {
                if (mailboxes.findMailbox(address).isEmpty()) {
                    throw new RejectException(550, "5.1.1 <" + address.value() + ">: no such mailbox in the sandbox");
                }
                local.add(address.value());
            } else {
                remote.add(address.value());
            }
        }

        @Override
        public String data(InputStream data) throws RejectException, IOException {
            byte[] body = data.readNBytes(MAX_MESSAGE_BYTES + 1);
            if (body.length > MAX_MESSAGE_BYTES) {
                throw new RejectException(552, "5.3.4 Message too big for the sandbox (" + MAX_MESSAGE_BYTES
                        + " bytes at most)");
            }
            String digest = HexFormat.of().formatHex(sha256(body));
            if (chaos.draw("data-4xx", digest + "#" + attempt("data:" + digest)) < chaos.dataFailureShare()) {
                throw new RejectException(451, "4.3.0 Sandbox chaos: message temporarily refused, try again later");
            }
            // a retried transaction (same bytes) must give the same payload, or the webhook's deduplication,
            // which compares content, would store the recipients it already had a second time
            Instant now = firstSeen(digest);
            String id = digest.substring(0, 16);
            byte[] raw = withReceived(withMessageId(body, digest), id, now);
            if (!remote.isEmpty()) {
                writeOutbox(raw, digest);
            }
            if (local.isEmpty()) {
                accepted.incrementAndGet();
                return "2.0.0 Ok: " + remote.size() + " recipient(s) outside the sandbox written to the outbox";
            }
            MimeMessage message;
            try {
                message = MailjetPayload.parse(raw);
            } catch (MessagingException e) {
                throw new RejectException(554, "5.6.0 The message cannot be read as MIME");
            }
            try {
                sleep(chaos.deliveryDelay().toNanos() == 0 ? 0
                        : (long) (chaos.draw("delay", digest) * chaos.deliveryDelay().toMillis()));
                for (String recipient : local) {
                    byte[] payload = MailjetPayload.toJson(message, sender, recipient, BigDecimal.ZERO, now);
                    if (!delivery.deliver(payload, recipient)) {
                        throw new RejectException(451, "4.4.2 The sandbox webhook did not store the message for <"
                                + recipient + ">; try again later (nothing is stored twice)");
                    }
                    if (chaos.draw("duplicate", digest + ">" + recipient) < chaos.duplicateShare()
                            && !delivery.deliver(payload, recipient)) {
                        LOG.warn("A chaos redelivery for {} was not acknowledged; the first delivery stands",
                                LogText.escape(recipient));
                    }
                }
            } catch (MessagingException e) {
                throw new RejectException(554, "5.6.0 The message's MIME structure cannot be read");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RejectException(421, "4.3.2 The sandbox is shutting down; try again later");
            }
            accepted.incrementAndGet();
            return "2.0.0 Ok: delivered to " + local.size() + " sandbox mailbox(es)"
                    + (remote.isEmpty() ? "" : ", " + remote.size() + " outside recipient(s) in the outbox");
        }

        /** A message without {@code Message-ID} gets one from its content, as a submission server adds one. */
        private byte[] withMessageId(byte[] body, String digest) {
            if (hasHeader(body, "message-id")) {
                return body;
            }
            return concat(("Message-ID: <" + digest.substring(0, 32) + "@" + domain + ">\r\n")
                    .getBytes(StandardCharsets.US_ASCII), body);
        }

        private byte[] withReceived(byte[] body, String id, Instant now) {
            String received = "Received: from " + context.getHelo().map(SandboxSmtpServer::printable).orElse("unknown")
                    + " (localhost [127.0.0.1])\r\n\tby localhost (Azt3kNet Mail sandbox) with ESMTPSA id " + id
                    + "\r\n\tfor <" + (local.size() + remote.size() == 1 ? first() : "multiple recipients") + ">; "
                    + RFC_5322.format(now) + "\r\n";
            byte[] header = received.getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[header.length + body.length];
            System.arraycopy(header, 0, out, 0, header.length);
            System.arraycopy(body, 0, out, header.length, body.length);
            return out;
        }

        private String first() {
            return local.isEmpty() ? remote.get(0) : local.get(0);
        }

        /** One file per distinct message: a retried transaction overwrites its own earlier copy. */
        private void writeOutbox(byte[] raw, String digest) {
            String envelope = "X-Azt3knet-Sandbox-Envelope-From: <" + sender + ">\r\n"
                    + "X-Azt3knet-Sandbox-Envelope-To: " + String.join(", ", remote.stream().map(r -> "<" + r + ">")
                    .toList()) + "\r\n";
            byte[] head = envelope.getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[head.length + raw.length];
            System.arraycopy(head, 0, out, 0, head.length);
            System.arraycopy(raw, 0, out, head.length, raw.length);
            SandboxFiles.write(SandboxFiles.directory(outbox).resolve(digest.substring(0, 32) + ".eml"), out);
            LOG.info("Mail from {} to {} outside the sandbox written to the outbox, not relayed", LogText.escape(sender),
                    LogText.escape(remote));
        }

        @Override
        public void done() {
            // nothing held
        }
    }

    /** @return when a message with this digest was first received (remembered for the last 10,000 messages) */
    private Instant firstSeen(String digest) {
        synchronized (firstSeen) {
            return firstSeen.computeIfAbsent(digest, d -> Instant.now());
        }
    }

    /** @return whether the header block (up to the first empty line) has a field of that lower-case name */
    static boolean hasHeader(byte[] message, String name) {
        int lineStart = 0;
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '\n') {
                int length = i - lineStart - (i > 0 && message[i - 1] == '\r' ? 1 : 0);
                if (length <= 0) {
                    return false; // the empty line: end of the header
                }
                if (length > name.length() && message[lineStart + name.length()] == ':'
                        && new String(message, lineStart, name.length(), StandardCharsets.US_ASCII)
                                .equalsIgnoreCase(name)) {
                    return true;
                }
                lineStart = i + 1;
            }
        }
        return false;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void sleep(long millis) throws InterruptedException {
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 100 ? s.substring(0, 100) : s;
        return cut.replaceAll("[^\\x21-\\x7E]", "?");
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
