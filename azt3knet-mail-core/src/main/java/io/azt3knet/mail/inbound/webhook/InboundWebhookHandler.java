package io.azt3knet.mail.inbound.webhook;

import io.azt3knet.mail.internal.util.Digests;
import io.azt3knet.mail.internal.util.LogText;
import io.azt3knet.mail.inbound.DeliveryKey;
import io.azt3knet.mail.inbound.InboundMessage;
import io.azt3knet.mail.inbound.InboundParser;
import io.azt3knet.mail.inbound.InboundSink;
import io.azt3knet.mail.inbound.maildir.MaildirSink;

import io.azt3knet.mail.InboundRejectedException;
import io.azt3knet.mail.Secret;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles the provider's inbound webhook call, framework-neutral (method, headers, query and body in;
 * status and short text out), so that it fits a servlet, the JDK {@code HttpServer}
 * ({@link InboundWebhookServer}) or anything else. Nothing is lost: it answers 2xx only once the sink has
 * stored the message durably, and 5xx when it could not, so that the provider delivers again.
 *
 * <p>In order:
 * <ol>
 *   <li>authenticate: {@code Authorization: Basic} credentials whose password is the shared secret (any
 *       user name, the provisioner uses {@code mailjet}), or a {@code token} query parameter equal to it;
 *       compared in constant time; 401 without saying which part was wrong. The builder insists on a secret
 *       (checked against {@link InboundSecretRule}); only an explicit {@link Builder#allowUnauthenticated()}
 *       accepts every caller, and then a warning is logged when the handler is built;</li>
 *   <li>405 for anything but {@code POST}; 413 for a body over the limit, decided from
 *       {@code Content-Length} before reading, or while streaming a body of unknown length (it is never
 *       read whole); 408 for a body that did not arrive in time (a read of the body threw
 *       {@link java.net.SocketTimeoutException}); 400 for a body the parser refuses;</li>
 *   <li>hand the message to the {@link InboundSink}: 200 once stored, 500 when the sink failed;</li>
 *   <li>a redelivery (same {@link DeliveryKey}: {@code Message-ID} and recipient, or the body's SHA-256
 *       without {@code Message-ID}) is acknowledged with 200 and not stored again; the sink keeps the keys
 *       durably, so this also holds across restarts. {@link MaildirSink} also compares the content, so a
 *       different message that reuses a {@code Message-ID} is stored rather than discarded.</li>
 * </ol>
 *
 * <pre>{@code
 * Secret secret = ConfigSource.standard().get("MAILJET_INBOUND_SECRET").map(Secret::of)
 *         .orElseThrow(() -> new IllegalStateException("set MAILJET_INBOUND_SECRET"));
 * InboundWebhookHandler handler = InboundWebhookHandler
 *         .builder(MailjetInboundParser.create(), MaildirSink.builder(Path.of("/var/mail/agents")).build())
 *         .secret(secret)
 *         .build();
 * WebhookResponse response = handler.handle(request);
 * }</pre>
 *
 * Thread-safe: one handler serves any number of concurrent requests.
 */
public final class InboundWebhookHandler {

    /** The default body limit: 25 MB, room for the provider's 15 MB message once base64 encoded. */
    public static final long DEFAULT_MAX_BODY_BYTES = 25L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(InboundWebhookHandler.class);
    private static final Map<String, String> CLOSE = Map.of("Connection", "close");

    private final InboundParser parser;
    private final InboundSink sink;
    private final Optional<Secret> secret;
    private final Optional<Secret> previousSecret;
    private final long maxBodyBytes;
    private final Listener listener;

    private InboundWebhookHandler(Builder b) {
        this.parser = b.parser;
        this.sink = b.sink;
        if (b.secret.isEmpty() && !b.allowUnauthenticated) {
            throw new IllegalStateException("the inbound webhook needs a secret: call secret(Secret) with the value of "
                    + InboundSecretRule.VARIABLE + ", or allowUnauthenticated() to accept every caller explicitly");
        }
        if (b.secret.isPresent() && b.allowUnauthenticated) {
            throw new IllegalStateException("both secret(Secret) and allowUnauthenticated() were called: choose one");
        }
        if (b.previousSecret.isPresent() && b.secret.isEmpty()) {
            throw new IllegalStateException("previousSecret(Secret) is only accepted beside secret(Secret)");
        }
        this.secret = b.secret;
        this.previousSecret = b.previousSecret;
        this.maxBodyBytes = b.maxBodyBytes;
        this.listener = b.listener;
        if (secret.isEmpty()) {
            LOG.warn("INSECURE: the inbound webhook was built with allowUnauthenticated() and accepts every caller. "
                    + "Set " + InboundSecretRule.VARIABLE + " (the provisioner then puts it in the route URL).");
        }
    }

    /**
     * @param parser turns the provider's body into a message
     * @param sink stores accepted messages durably
     * @return a builder; a secret ({@link Builder#secret}) or {@link Builder#allowUnauthenticated()} is required too
     */
    public static Builder builder(InboundParser parser, InboundSink sink) {
        return new Builder(parser, sink);
    }

    /** @return the body size limit in bytes */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** @return where accepted messages go (the server derives its listeners' store from it) */
    InboundSink sink() {
        return sink;
    }

    /**
     * Handles one webhook call. Never throws: every failure becomes a status.
     *
     * @param request the call
     * @return the answer to send back
     */
    public WebhookResponse handle(WebhookRequest request) {
        Objects.requireNonNull(request, "request");
        if (!authenticated(request)) {
            return reject(401, "unauthorized", 0, Map.of("WWW-Authenticate", "Basic realm=\"inbound\"",
                    "Connection", "close"));
        }
        if (!request.method().equalsIgnoreCase("POST")) {
            return reject(405, "method not allowed: use POST", 0, Map.of("Allow", "POST", "Connection", "close"));
        }
        if (request.contentLength().isPresent() && request.contentLength().getAsLong() > maxBodyBytes) {
            return reject(413, "request body over the limit of " + maxBodyBytes + " bytes", 0, CLOSE);
        }
        BoundedInputStream bounded = new BoundedInputStream(request.body(), maxBodyBytes);
        // parsers (Jackson by default) close the stream at the end; the rest must still be drained and hashed
        DigestInputStream digesting = new DigestInputStream(new FilterInputStream(bounded) {
            @Override
            public void close() {
                // the caller owns the request body
            }
        }, Digests.sha256());
        InboundMessage message;
        try {
            message = parser.parse(digesting);
            drain(digesting);
        } catch (InboundRejectedException e) {
            return unreadable(bounded, e).orElseGet(() ->
                    reject(e.reason().httpStatus(), "rejected: " + e.getMessage(), bounded.count(), CLOSE));
        } catch (IOException e) {
            return unreadable(bounded, e).orElseGet(() ->
                    reject(400, "the request body could not be read", bounded.count(), CLOSE));
        } catch (RuntimeException e) {
            return unreadable(bounded, e).orElseGet(() -> {
                LOG.error("The inbound parser failed unexpectedly; answering 500 so that the sender retries",
                        LogText.escaped(e));
                return answer(new DeliveryEvent.Failed(500, bounded.count(), Optional.empty(),
                        Optional.empty(), "parser failure"), "parser failure, retry later", CLOSE);
            });
        }
        DeliveryKey key = DeliveryKey.of(message, digesting.getMessageDigest().digest());
        Optional<String> recipient = Optional.of(message.recipient());
        Optional<String> subject = Optional.of(message.subject());
        try {
            InboundSink.Result result = sink.accept(message, key);
            DeliveryEvent event = result == InboundSink.Result.STORED
                    ? new DeliveryEvent.Stored(bounded.count(), message.recipient(), message.subject())
                    : new DeliveryEvent.Duplicate(bounded.count(), message.recipient(), message.subject());
            return answer(event,
                    result == InboundSink.Result.STORED ? "stored" : "duplicate, already stored", Map.of());
        } catch (InboundRejectedException e) {
            return answer(new DeliveryEvent.Rejected(e.reason().httpStatus(), bounded.count(),
                    recipient, subject, String.valueOf(e.getMessage())), "rejected: " + e.getMessage(), Map.of());
        } catch (IOException | RuntimeException e) {
            LOG.error("The inbound sink could not store a message for {} (key {}); answering 500 so that the "
                    + "sender retries", LogText.escape(message.recipient()), key, LogText.escaped(e));
            return answer(new DeliveryEvent.Failed(500, bounded.count(), recipient, subject,
                    "sink failure: " + e.getClass().getSimpleName()), "not stored, retry later", Map.of());
        }
    }

    private boolean authenticated(WebhookRequest request) {
        if (secret.isEmpty()) {
            return true;
        }
        String presentedPassword = basicPassword(request).orElse("");
        String presentedToken = queryParameter(request.rawQuery(), "token").orElse("");
        // evaluate every form against every accepted secret, so that timing does not tell which one matched
        boolean ok = false;
        for (Secret s : previousSecret.isPresent() ? List.of(secret.get(), previousSecret.get()) : List.of(secret.get())) {
            ok |= s.matches(presentedPassword) | s.matches(presentedToken);
        }
        return ok;
    }

    private static Optional<String> basicPassword(WebhookRequest request) {
        Optional<String> header = request.header("Authorization").map(String::strip);
        if (header.isEmpty() || !header.get().regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.get().substring(6).strip()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty() : Optional.of(decoded.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static Optional<String> queryParameter(String rawQuery, String name) {
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                try {
                    return Optional.of(URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Reads what the parser left (trailing whitespace), so that the digest covers the whole body. */
    private static void drain(InputStream in) throws IOException {
        if (in.read() < 0) {
            return; // the usual case: the parser read the body to its end
        }
        byte[] buffer = new byte[8192];
        while (in.read(buffer) >= 0) {
            // the bounded stream below stops this at the limit
        }
    }

    /**
     * The answer when the body itself was the problem, whatever the parser made of it: 413 past the size
     * limit, 408 when it did not arrive in time (a {@link SocketTimeoutException} somewhere in the causes).
     */
    private Optional<WebhookResponse> unreadable(BoundedInputStream bounded, Throwable failure) {
        if (bounded.exceeded()) {
            return Optional.of(reject(413, "request body over the limit of " + maxBodyBytes + " bytes",
                    bounded.count(), CLOSE));
        }
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) { // bounded: causes may cycle
            if (t instanceof SocketTimeoutException) {
                return Optional.of(reject(408, "the request body did not arrive in time", bounded.count(), CLOSE));
            }
        }
        return Optional.empty();
    }

    private WebhookResponse reject(int status, String text, long bytes, Map<String, String> headers) {
        return answer(new DeliveryEvent.Rejected(status, bytes, Optional.empty(),
                Optional.empty(), text), text, headers);
    }

    private WebhookResponse answer(DeliveryEvent event, String text, Map<String, String> headers) {
        try {
            listener.onDelivery(event);
        } catch (RuntimeException e) {
            LOG.warn("An inbound delivery listener failed; the answer is not affected", LogText.escaped(e));
        }
        return new WebhookResponse(event.status(), text + "\n", headers);
    }

    /** Told about every webhook call, after the sink and before the answer is sent. */
    @FunctionalInterface
    public interface Listener {
        /** @param event what happened; a listener must not throw (failures are logged and ignored) */
        void onDelivery(DeliveryEvent event);
    }

    /** Builds an {@link InboundWebhookHandler}. */
    public static final class Builder {
        private final InboundParser parser;
        private final InboundSink sink;
        private Optional<Secret> secret = Optional.empty();
        private boolean allowUnauthenticated;
        private Optional<Secret> previousSecret = Optional.empty();
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Listener listener = event -> { };

        private Builder(InboundParser parser, InboundSink sink) {
            this.parser = Objects.requireNonNull(parser, "parser");
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        /**
         * @param secret the shared secret callers must present; it must pass {@link InboundSecretRule}
         * @return this builder
         * @throws io.azt3knet.mail.ConfigurationException if the secret is too weak (the value is never shown)
         */
        public Builder secret(Secret secret) {
            this.secret = Optional.of(InboundSecretRule.require("the inbound webhook secret",
                    Objects.requireNonNull(secret, "secret")));
            return this;
        }

        /**
         * Also accepts the previous secret, while a rotation is under way: start the webhook with the new secret
         * and the old one, point every route at the new one ({@code routes rotate-secret}), then restart it with
         * the new secret alone. Only beside {@link #secret(Secret)}.
         *
         * @param previous the secret being retired; it must pass {@link InboundSecretRule} too
         * @return this builder
         * @throws io.azt3knet.mail.ConfigurationException if the secret is too weak (the value is never shown)
         */
        public Builder previousSecret(Secret previous) {
            this.previousSecret = Optional.of(InboundSecretRule.require("the previous inbound webhook secret",
                    Objects.requireNonNull(previous, "previous")));
            return this;
        }

        /**
         * Accepts every caller without authentication. Only for a webhook that nothing but a trusted proxy
         * or a test can reach; a warning is logged when the handler is built.
         *
         * @return this builder
         */
        public Builder allowUnauthenticated() {
            this.allowUnauthenticated = true;
            return this;
        }

        /**
         * @param maxBodyBytes the largest body accepted, default 25 MB
         * @return this builder
         */
        public Builder maxBodyBytes(long maxBodyBytes) {
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be positive, got " + maxBodyBytes);
            }
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /**
         * @param listener told about every call (e.g. to log one line per message)
         * @return this builder
         */
        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @return the handler
         * @throws NullPointerException if the parser or the sink is missing
         * @throws IllegalStateException if neither {@link #secret(Secret)} nor {@link #allowUnauthenticated()}
         *     was called, or both were
         */
        public InboundWebhookHandler build() {
            return new InboundWebhookHandler(this);
        }
    }
}
