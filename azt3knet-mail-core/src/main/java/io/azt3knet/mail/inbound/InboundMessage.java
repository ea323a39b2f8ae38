package io.azt3knet.mail.inbound;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A received message, provider-neutral: the envelope, the headers, the decoded bodies and attachments,
 * and the provider's extras (spam score, custom id, payload). Immutable.
 */
public final class InboundMessage {

    private final String envelopeSender;
    private final String recipient;
    private final @Nullable Instant date;
    private final String from;
    private final String subject;
    private final MessageHeaders headers;
    private final List<InboundPart> parts;
    private final @Nullable String text;
    private final @Nullable String html;
    private final Map<String, String> extraContent;
    private final List<InboundAttachment> attachments;
    private final @Nullable BigDecimal spamScore;
    private final @Nullable String customId;
    private final @Nullable String payload;

    private InboundMessage(Builder b) {
        this.envelopeSender = b.envelopeSender;
        this.recipient = b.recipient;
        this.date = b.date;
        this.from = b.from;
        this.subject = b.subject;
        this.headers = b.headers;
        this.parts = List.copyOf(b.parts);
        this.text = b.text;
        this.html = b.html;
        this.extraContent = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.extraContent));
        this.attachments = List.copyOf(b.attachments);
        this.spamScore = b.spamScore;
        this.customId = b.customId;
        this.payload = b.payload;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the SMTP envelope sender (MAIL FROM); may be empty for bounces */
    public String envelopeSender() {
        return envelopeSender;
    }

    /** @return the envelope recipient: the agent address this delivery is for */
    public String recipient() {
        return recipient;
    }

    /** @return the message's date, in UTC, if the provider gave one */
    public Optional<Instant> date() {
        return Optional.ofNullable(date);
    }

    /** @return the raw {@code From} header value */
    public String from() {
        return from;
    }

    /** @return the subject, possibly empty */
    public String subject() {
        return subject;
    }

    /** @return the top-level headers */
    public MessageHeaders headers() {
        return headers;
    }

    /** @return the flattened MIME tree as reported by the provider */
    public List<InboundPart> parts() {
        return parts;
    }

    /** @return the text body */
    public Optional<String> text() {
        return Optional.ofNullable(text);
    }

    /** @return the HTML body */
    public Optional<String> html() {
        return Optional.ofNullable(html);
    }

    /** @return further text or HTML bodies by their payload key ({@code Text-part2}, {@code Html-part2}, ...) */
    public Map<String, String> extraContent() {
        return extraContent;
    }

    /** @return attachments and inline parts, in payload order */
    public List<InboundAttachment> attachments() {
        return attachments;
    }

    /** @return the spam score the provider computed */
    public Optional<BigDecimal> spamScore() {
        return Optional.ofNullable(spamScore);
    }

    /** @return the custom id of the outbound message this one replies to */
    public Optional<String> customId() {
        return Optional.ofNullable(customId);
    }

    /** @return the event payload of the outbound message this one replies to */
    public Optional<String> payload() {
        return Optional.ofNullable(payload);
    }

    /** @return the {@code Message-ID} header value, if present */
    public Optional<String> messageId() {
        return headers.first("Message-ID").map(String::strip).filter(s -> !s.isEmpty());
    }

    /**
     * Renders this message as a MIME message that mail clients open as the sender meant it:
     * {@code multipart/mixed} (attachments) around {@code multipart/related} (inline images, by
     * {@code Content-ID}) around {@code multipart/alternative} (text and HTML), with the original
     * {@code From}, {@code To}, {@code Cc}, {@code Reply-To}, {@code Date}, {@code Subject} (UTF-8, encoded),
     * {@code Message-ID}, {@code In-Reply-To} and {@code References}, plus {@code Delivered-To} (the envelope
     * recipient) and {@code Return-Path} (the envelope sender), {@code X-MJ-CustomID} and
     * {@code X-MJ-EventPayload} (the provider's extras, when present) and every other original top-level
     * header ({@code Received}, {@code Authentication-Results}, {@code DKIM-Signature}, {@code List-*},
     * {@code X-*}...) except {@code Content-*} and {@code MIME-Version}, which describe the rebuilt body. Values
     * are unfolded so that none can start a header of its own. The provider's part list cannot be turned
     * back into the original MIME tree exactly, so the structure is rebuilt from the decoded content.
     *
     * @param session the session whose MIME settings apply
     * @return a new message, headers updated ({@code saveChanges()} done)
     * @throws jakarta.mail.MessagingException if Jakarta Mail cannot build it
     */
    public jakarta.mail.internet.MimeMessage toMimeMessage(jakarta.mail.Session session)
            throws jakarta.mail.MessagingException {
        return InboundMimeRenderer.render(this, Objects.requireNonNull(session, "session"));
    }

    /**
     * Writes this message as RFC 5322 bytes (CRLF line ends, 7-bit clean), as rendered by
     * {@link #toMimeMessage(jakarta.mail.Session)}.
     *
     * @param out where to write; not closed
     * @throws java.io.IOException if writing fails
     */
    public void writeTo(java.io.OutputStream out) throws java.io.IOException {
        Objects.requireNonNull(out, "out");
        try {
            toMimeMessage(InboundMimeRenderer.defaultSession()).writeTo(out);
        } catch (jakarta.mail.MessagingException e) {
            throw new java.io.IOException("cannot render the message as MIME: " + e.getMessage(), e);
        }
    }

    /**
     * @return this message as RFC 5322 bytes, see {@link #writeTo(java.io.OutputStream)}
     * @throws java.io.UncheckedIOException if the message cannot be rendered (Jakarta Mail refused a part)
     */
    public byte[] toRfc5322Bytes() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "InboundMessage[to=" + recipient + ", from=" + from + ", subject=" + subject + ", attachments="
                + attachments.size() + "]";
    }

    /** Builds an {@link InboundMessage}. Not thread-safe. */
    public static final class Builder {
        private String envelopeSender = "";
        private String recipient = "";
        private @Nullable Instant date;
        private String from = "";
        private String subject = "";
        private MessageHeaders headers = MessageHeaders.empty();
        private List<InboundPart> parts = List.of();
        private @Nullable String text;
        private @Nullable String html;
        private Map<String, String> extraContent = Map.of();
        private List<InboundAttachment> attachments = List.of();
        private @Nullable BigDecimal spamScore;
        private @Nullable String customId;
        private @Nullable String payload;

        private Builder() {
        }

        /**
         * @param v envelope sender
         * @return this
         */
        public Builder envelopeSender(String v) { this.envelopeSender = Objects.requireNonNull(v); return this; }
        /**
         * @param v envelope recipient
         * @return this
         */
        public Builder recipient(String v) { this.recipient = Objects.requireNonNull(v); return this; }
        /**
         * @param v date
         * @return this
         */
        public Builder date(Instant v) { this.date = Objects.requireNonNull(v); return this; }
        /**
         * @param v From header
         * @return this
         */
        public Builder from(String v) { this.from = Objects.requireNonNull(v); return this; }
        /**
         * @param v subject
         * @return this
         */
        public Builder subject(String v) { this.subject = Objects.requireNonNull(v); return this; }
        /**
         * @param v headers
         * @return this
         */
        public Builder headers(MessageHeaders v) { this.headers = Objects.requireNonNull(v); return this; }
        /**
         * @param v parts
         * @return this
         */
        public Builder parts(List<InboundPart> v) { this.parts = Objects.requireNonNull(v); return this; }
        /**
         * @param v text body
         * @return this
         */
        public Builder text(String v) { this.text = Objects.requireNonNull(v); return this; }
        /**
         * @param v HTML body
         * @return this
         */
        public Builder html(String v) { this.html = Objects.requireNonNull(v); return this; }
        /**
         * @param v extra bodies by key
         * @return this
         */
        public Builder extraContent(Map<String, String> v) { this.extraContent = Objects.requireNonNull(v); return this; }
        /**
         * @param v attachments
         * @return this
         */
        public Builder attachments(List<InboundAttachment> v) { this.attachments = Objects.requireNonNull(v); return this; }
        /**
         * @param v spam score
         * @return this
         */
        public Builder spamScore(BigDecimal v) { this.spamScore = Objects.requireNonNull(v); return this; }
        /**
         * @param v custom id
         * @return this
         */
        public Builder customId(String v) { this.customId = Objects.requireNonNull(v); return this; }
        /**
         * @param v event payload
         * @return this
         */
        public Builder payload(String v) { this.payload = Objects.requireNonNull(v); return this; }

        /** @return the message */
        public InboundMessage build() {
            return new InboundMessage(this);
        }
    }
}
