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
