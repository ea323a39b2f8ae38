package io.azt3knet.mail.send;

import io.azt3knet.mail.MailSendException;
import io.azt3knet.mail.MailSendException.Kind;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.internal.mime.MimeTree;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Sends mail as one agent over SMTP (Jakarta Mail with Eclipse Angus). Every connection is encrypted:
 * STARTTLS is required on the default port 587 (a server that does not offer it is refused before any
 * credential is sent) and implicit TLS is used on 465; certificates and the server's host name are always
 * checked. Connect, read and write time out.
 *
 * <pre>{@code
 * try (MailService mail = MailService.forAgent(credentials)) {   // from MailboxProvisioner.createMailbox
 *     String messageId = mail.send(OutgoingMessage.builder()
 *             .to("ada@example.org").subject("Hello").text("Hi Ada").build());
 * }
 * }</pre>
 *
 * Thread-safe: {@link #send} opens one connection per call, {@link #sendAll} one connection for the whole
 * batch. Failures are {@link MailSendException}s whose {@link MailSendException#kind() kind} says what to do.
 */
public final class MailService implements AutoCloseable {

    private final SmtpSettings settings;
    private final InternetAddress from;
    private final MailboxAddress sender;
    private final String username;
    private final Secret password;
    private final Session session;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MailService(Builder b) {
        if (b.sender == null || b.username == null || b.password == null) {
            throw new IllegalStateException("a MailService needs the sender and the login: call credentials(...) "
                    + "or sender(...) and login(...)");
        }
        this.settings = b.resolveSettings();
        this.sender = b.sender;
        this.username = b.username;
        this.password = b.password;
        this.clock = b.clock;
        try {
            this.from = new InternetAddress(sender.value(), b.displayName.isEmpty() ? null : b.displayName,
                    StandardCharsets.UTF_8.name());
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
        io.azt3knet.mail.internal.mime.JakartaMailRuntime.ensureStreamProvider();
        this.session = SmtpSessions.open(settings, sender, b.socketFactory);
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param credentials an agent's mailbox credentials: address, display name, SMTP host, port and login
     * @return a service sending as that agent, with STARTTLS (or implicit TLS on 465) and default timeouts
     */
    public static MailService forAgent(MailboxCredentials credentials) {
        return builder().credentials(credentials).build();
    }

    /** @return the connection settings in use */
    public SmtpSettings settings() {
        return settings;
    }

    /** @return the agent's address, used as {@code From} and envelope sender */
    public MailboxAddress sender() {
        return sender;
    }

    /**
     * Sends one message over its own connection.
     *
     * @param message the message
     * @return the {@code Message-ID} it was sent with
     * @throws MailSendException if it was not sent
     */
    public String send(OutgoingMessage message) {
        return send(toMimeMessage(message));
    }

    /**
     * Sends a message built elsewhere. Its {@code From} is set to the agent when missing; a message from
     * another address is refused (the provider would reject it, or worse, send it as someone else).
     *
     * @param message the message; its recipients are taken from {@code To}, {@code Cc} and {@code Bcc}
     * @return the {@code Message-ID} it was sent with
     * @throws MailSendException if it was not sent
     * @throws IllegalArgumentException if it has no recipient or another sender
     */
    public String send(MimeMessage message) {
        ensureOpen();
        prepare(message);
        Transport transport = null;
        try {
            transport = connect();
            return sendOn(transport, message);
        } finally {
            closeQuietly(transport);
        }
    }

    /**
     * Sends several messages over one connection, one outcome per message in order. A message refused by
     * the server does not stop the others; when the connection breaks it is opened again for the next
     * message. When the connection cannot be opened or the login is refused, the remaining messages fail
     * with that error.
     *
     * @param messages the messages
     * @return the outcome of each message, in order
     */
    public List<SendOutcome> sendAll(List<OutgoingMessage> messages) {
        ensureOpen();
        List<MimeMessage> prepared = new ArrayList<>(messages.size());
        for (OutgoingMessage m : messages) {
            prepared.add(toMimeMessage(m));
        }
        List<SendOutcome> outcomes = new ArrayList<>(messages.size());
        Transport transport = null;
        try {
            for (MimeMessage m : prepared) {
                if (transport == null || !transport.isConnected()) {
                    closeQuietly(transport);
                    try {
                        transport = connect();
                    } catch (MailSendException e) {
                        while (outcomes.size() < prepared.size()) {
                            outcomes.add(new SendOutcome.Failed(e));
                        }
                        return outcomes;
                    }
                }
                try {
                    outcomes.add(new SendOutcome.Sent(sendOn(transport, m)));
                } catch (MailSendException e) {
                    outcomes.add(new SendOutcome.Failed(e));
                }
            }
            return outcomes;
        } finally {
            closeQuietly(transport);
        }
    }

    /**
     * Builds the MIME message {@link #send(OutgoingMessage)} would send, for inspection or archiving.
     *
     * @param message the message
     * @return the MIME message, {@code From} set to the agent, headers updated
     */
    public MimeMessage toMimeMessage(OutgoingMessage message) {
        Objects.requireNonNull(message, "message");
        try {
            MimeMessage m = new MimeTree.IdentifiedMimeMessage(session, sender.domain());
            m.setFrom(from);
            m.setRecipients(Message.RecipientType.TO, addresses(message.to()));
            m.setRecipients(Message.RecipientType.CC, addresses(message.cc()));
            m.setRecipients(Message.RecipientType.BCC, addresses(message.bcc())); // never written: SMTP drops Bcc
            if (!message.replyTo().isEmpty()) {
                m.setReplyTo(addresses(message.replyTo()));
            }
            m.setSubject(message.subject(), StandardCharsets.UTF_8.name());
            m.setSentDate(Date.from(clock.instant()));
            for (var h : message.headers().entrySet()) {
                m.setHeader(h.getKey(), MimeUtility.fold(h.getKey().length() + 2,
                        StandardCharsets.US_ASCII.newEncoder().canEncode(h.getValue())
                        ? h.getValue() : MimeUtility.encodeText(h.getValue(), StandardCharsets.UTF_8.name(), null)));
            }
            MimeTree.fill(m, message.text().orElse(null), message.html().orElse(null), List.of(),
                    message.inlineParts(), message.attachments());
            m.saveChanges();
            return m;
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new MailSendException(Kind.MESSAGE, "the message could not be built: " + e.getMessage(), List.of(), e);
        }
    }

    private void prepare(MimeMessage message) {
        try {
            Address[] current = message.getFrom();
            if (current == null || current.length == 0) {
                message.setFrom(from);
            } else if (current.length != 1 || !(current[0] instanceof InternetAddress ia)
                    || !ia.getAddress().equalsIgnoreCase(sender.value())) {
                throw new IllegalArgumentException("the message is from " + current[0] + ", not from the agent "
                        + sender + "; leave From empty to have it set");
            }
            Address[] recipients = message.getAllRecipients();
            if (recipients == null || recipients.length == 0) {
                throw new IllegalArgumentException("the message has no recipient");
            }
            if (message.getSentDate() == null) {
                message.setSentDate(Date.from(clock.instant()));
            }
            message.saveChanges();
        } catch (MessagingException e) {
            throw new MailSendException(Kind.MESSAGE, "the message could not be prepared: " + e.getMessage(), List.of(), e);
        }
    }

    private Transport connect() {
        try {
            Transport transport = session.getTransport("smtp");
            transport.connect(settings.host(), settings.port(), username, password.reveal());
            return transport;
        } catch (MessagingException e) {
            throw SmtpFailures.classify(e, "connecting to " + settings.host() + ":" + settings.port(), false, settings,
                    username);
        }
    }

    private String sendOn(Transport transport, MimeMessage message) {
        try {
            transport.sendMessage(message, message.getAllRecipients());
            return message.getMessageID();
        } catch (MessagingException e) {
            throw SmtpFailures.classify(e, "sending to " + settings.host() + ":" + settings.port(), true, settings,
                    username);
        }
    }

    private static InternetAddress[] addresses(List<OutgoingMessage.Recipient> recipients)
            throws UnsupportedEncodingException {
        InternetAddress[] out = new InternetAddress[recipients.size()];
        for (int i = 0; i < out.length; i++) {
            OutgoingMessage.Recipient r = recipients.get(i);
            out[i] = new InternetAddress(r.address().value(), r.displayName().isEmpty() ? null : r.displayName(),
                    StandardCharsets.UTF_8.name());
        }
        return out;
    }

    private static void closeQuietly(@Nullable Transport transport) {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException e) {
                // the message was handed over before; a failing QUIT changes nothing
            }
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this MailService is closed");
        }
    }

    /** Closes the service; later sends fail with {@link IllegalStateException}. Connections are per call. */
    @Override
    public void close() {
        closed.set(true);
    }

    @Override
    public String toString() {
        return "MailService[" + from + " via " + username + "@" + settings.host() + ":" + settings.port() + ", "
                + settings.security() + ", password=" + password + "]";
    }

    /** Builds a {@link MailService}. */
    public static final class Builder {
        private @Nullable SmtpSettings settings;
        private @Nullable MailboxCredentials credentials;
        private @Nullable MailboxAddress sender;
        private String displayName = "";
        private @Nullable String username;
        private @Nullable Secret password;
        private @Nullable SSLSocketFactory socketFactory;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Takes the sender and the login from an agent's credentials (address and display name, username and
         * password), and the relay's host and port unless {@link #settings} gives them. Unless {@link #settings}
         * is called, the TLS mode follows the port (implicit on 465, STARTTLS otherwise) and the timeouts are the
         * defaults. The order of the calls does not matter: see {@link #build()}.
         *
         * @param credentials the agent's credentials
         * @return this builder
         */
        public Builder credentials(MailboxCredentials credentials) {
            Objects.requireNonNull(credentials, "credentials");
            sender(credentials.address(), credentials.displayName());
            login(credentials.smtpUsername(), credentials.smtpPassword());
            this.credentials = credentials;
            return this;
        }

        /**
         * Host, port, TLS mode and timeouts (default: the host and port of {@link #credentials}, the TLS mode of
         * that port, default timeouts; one of the two is required). Given together
         * with {@link #credentials}, its host and port must be the credentials' ones, or {@link #build()} fails;
         * its TLS mode and timeouts are used whatever the order of the calls.
         *
         * @param settings host, port, TLS mode and timeouts
         * @return this builder
         */
        public Builder settings(SmtpSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        private SmtpSettings resolveSettings() {
            MailboxCredentials c = credentials;
            SmtpSettings s = settings;
            if (c == null) {
                if (s == null) {
                    throw new IllegalStateException("no SMTP relay: give settings(...) or credentials(...)");
                }
                return s;
            }
            if (s == null) {
                return SmtpSettings.of(c.smtpHost(), c.smtpPort());
            }
            if (!s.host().equalsIgnoreCase(c.smtpHost()) || s.port() != c.smtpPort()) {
                throw new IllegalStateException("the SMTP relay is given twice: settings(...) says " + s.host() + ":"
                        + s.port() + ", credentials(...) says " + c.smtpHost() + ":" + c.smtpPort()
                        + "; give settings for the credentials' relay, or leave settings(...) out");
            }
            return s;
        }

        /**
         * @param address the agent's address: {@code From} and envelope sender
         * @param displayName the agent's display name, may be empty; one line
         * @return this builder
         */
        public Builder sender(MailboxAddress address, String displayName) {
            this.sender = Objects.requireNonNull(address, "address");
            new OutgoingMessage.Recipient(address, displayName); // validates the display name
            this.displayName = displayName;
            return this;
        }

        /**
         * @param username the SMTP login
         * @param password its password
         * @return this builder
         */
        public Builder login(String username, Secret password) {
            Objects.requireNonNull(username, "username");
            if (username.isBlank() || username.chars().anyMatch(c -> c < ' ')) {
                throw new IllegalArgumentException("the SMTP username must be a non-empty single line");
            }
            this.username = username;
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Trusts exactly the certificates of this store (for a private relay or tests) instead of the JVM's
         * default trust store. Host names are still checked.
         *
         * @param trustStore the trusted certificates
         * @return this builder
         * @throws IllegalArgumentException if the store cannot be used
         */
        public Builder trustStore(KeyStore trustStore) {
            this.socketFactory = SmtpSessions.trusting(trustStore);
            return this;
        }

        /**
         * @param clock the time source of the {@code Date} header
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the service. The result does not depend on the order of the builder calls: each value has one
         * source, the last call for it wins, and where two calls give the same value ({@link #credentials} and
         * {@link #settings} both name the relay) they must agree.
         *
         * @return the service
         * @throws IllegalStateException if the sender or the login is missing, or if {@link #settings} and
         *     {@link #credentials} name different relays
         */
        public MailService build() {
            return new MailService(this);
        }
    }
}
