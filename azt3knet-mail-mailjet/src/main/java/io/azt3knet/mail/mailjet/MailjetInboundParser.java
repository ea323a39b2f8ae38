package io.azt3knet.mail.mailjet;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.azt3knet.mail.InboundRejectedException;
import io.azt3knet.mail.inbound.InboundAttachment;
import io.azt3knet.mail.inbound.InboundMessage;
import io.azt3knet.mail.inbound.InboundParser;
import io.azt3knet.mail.inbound.InboundPart;
import io.azt3knet.mail.inbound.MessageHeaders;
import io.azt3knet.mail.internal.mime.BoundedBuffer;
import io.azt3knet.mail.internal.mime.MimeValues;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses the JSON body Mailjet's Parse API posts for each inbound message into an {@link InboundMessage}.
 *
 * <p>Every documented field is read: the envelope ({@code Sender}, {@code Recipient}), {@code Date}
 * ({@code yyyyMMdd'T'HHmmss}, UTC), {@code From}, {@code Subject}, {@code Headers} (each value a string or an
 * array of strings; folded continuations, which Mailjet sends as tabs, are unfolded), {@code Parts} with their
 * {@code ContentRef} (or, for a single-part message, an empty {@code Parts} and a top-level {@code ContentRef}),
 * {@code Text-part} and {@code Html-part}, further bodies such as {@code Html-part2} (kept in
 * {@link InboundMessage#extraContent()} with any other unknown text field), {@code AttachmentN} and
 * {@code InlineAttachmentN} (always base64, whatever their part's {@code Content-Transfer-Encoding} says),
 * {@code SpamAssassinScore}, {@code CustomID} and {@code Payload}. Attachments take their file name (RFC 2231
 * and encoded-word names decoded, directories stripped), content type and Content-ID from their part's headers.
 *
 * <p>The body is streamed: attachments are decoded from base64 as they are read, never held as text, so a
 * payload with a 20 MB attachment needs about twice the attachment's size in heap. Counts and sizes are bounded
 * ({@link Builder}); anything that is not a well-formed payload within them, whatever is wrong with it, gives
 * {@link InboundRejectedException} with {@link InboundRejectedException.Reason#MALFORMED} and never another
 * exception. A date or spam score in an unexpected format is left out rather than refused, since the message
 * itself is fine. Thread-safe.
 *
 * <pre>{@code
 * InboundMessage message = MailjetInboundParser.create().parse(body); // body: the POST's InputStream
 * }</pre>
 */
public final class MailjetInboundParser implements InboundParser {

    private static final DateTimeFormatter MAILJET_DATE = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss", Locale.ROOT);
    private static final Pattern BODY_KEY = Pattern.compile("(Text|Html)-part[0-9]{0,4}");
    private static final Pattern ATTACHMENT_KEY = Pattern.compile("(Inline)?Attachment[0-9]{1,6}");
    private static final Pattern HEADER_NAME = Pattern.compile("[\\x21-\\x39\\x3B-\\x7E]{1,200}");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,10}(\\.[0-9]{1,10})?");
    /** Mailjet's base64 is MIME-style; a missing final padding is tolerated. */
    private static final Base64Variant BASE64 =
            Base64Variants.MIME.withReadPadding(Base64Variant.PaddingReadBehaviour.PADDING_ALLOWED);

    private final int maxParts;
    private final int maxHeaderValues;
    private final int maxAttachments;
    private final long maxAttachmentBytes;
    private final long maxTextChars;
    private final JsonFactory json;

    private MailjetInboundParser(Builder b) {
        this.maxParts = b.maxParts;
        this.maxHeaderValues = b.maxHeaderValues;
        this.maxAttachments = b.maxAttachments;
        this.maxAttachmentBytes = b.maxAttachmentBytes;
        this.maxTextChars = b.maxTextChars;
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(16) // the payload nests 5 deep; more is hostile
                        .maxNameLength(1_000)
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, b.maxTextChars))
                        .maxNumberLength(64)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION) // error messages never quote the mail
                .build();
    }

    /** @return a parser with the default limits */
    public static MailjetInboundParser create() {
        return builder().build();
    }

    /** @return a builder to change the limits */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public InboundMessage parse(InputStream body) {
        try (JsonParser parser = json.createParser(body)) {
            return new Reading(parser).message();
        } catch (InboundRejectedException e) {
            throw e;
        } catch (StreamConstraintsException e) {
            throw malformed("exceeds a size or nesting limit: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw malformed("is not valid JSON or holds invalid base64: " + firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            throw malformed("could not be read: " + e.getClass().getSimpleName(), e);
        }
    }

    private static InboundRejectedException malformed(String what) {
        return new InboundRejectedException(InboundRejectedException.Reason.MALFORMED,
                "Mailjet inbound payload " + what);
    }

    private static InboundRejectedException malformed(String what, Throwable cause) {
        return new InboundRejectedException(InboundRejectedException.Reason.MALFORMED,
                "Mailjet inbound payload " + what, cause);
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** The state of one parse. */
    private final class Reading {
        private final JsonParser p;
        private final Map<String, String> scalars = new LinkedHashMap<>();
        private @Nullable MessageHeaders headers;
        private final List<InboundPart> parts = new ArrayList<>();
        private final Map<String, String> bodies = new LinkedHashMap<>();
        private final Map<String, byte[]> binaries = new LinkedHashMap<>();
        private long textChars;
        private long attachmentBytes;

        Reading(JsonParser p) {
            this.p = p;
        }

        InboundMessage message() throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                field(p.currentName());
            }
            if (p.nextToken() != null) {
                throw malformed("has content after the JSON object");
            }
            return build();
        }

        private void field(String name) throws IOException {
            JsonToken t = p.nextToken();
            switch (name) {
                case "Sender", "Recipient", "Date", "From", "Subject", "SpamAssassinScore", "CustomID", "Payload",
                        "ContentRef" -> scalar(name, t).ifPresent(v -> scalars.put(name, v));
                case "Headers" -> headers = headers(t, "Headers");
                case "Parts" -> parts(t);
                default -> other(name, t);
            }
        }

        private void other(String name, JsonToken t) throws IOException {
            if (ATTACHMENT_KEY.matcher(name).matches()) {
                if (t == JsonToken.VALUE_NULL) {
                    return;
                }
                if (t != JsonToken.VALUE_STRING) {
                    throw malformed("field " + name + " must be a base64 string, got " + t);
                }
                if (binaries.size() >= maxAttachments) {
                    throw malformed("has more than " + maxAttachments + " attachments");
                }
                BoundedBuffer out = new BoundedBuffer(maxAttachmentBytes - attachmentBytes);
                try {
                    p.readBinaryValue(BASE64, out);
                } catch (BoundedBuffer.LimitExceeded e) {
                    throw malformed("has attachments over " + maxAttachmentBytes + " bytes in total", e);
                }
                attachmentBytes += out.size();
                binaries.put(name, out.toByteArray());
            } else if (BODY_KEY.matcher(name).matches() || t == JsonToken.VALUE_STRING) {
                if (bodies.size() >= maxParts) {
                    throw malformed("has more than " + maxParts + " text fields");
                }
                scalar(name, t).ifPresent(v -> bodies.put(name, v));
            } else {
                p.skipChildren(); // an unknown structured field: nothing of the message is in it
            }
        }

        private Optional<String> scalar(String name, JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return Optional.empty();
            }
            if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw malformed("field " + name + " must be a string, got " + t);
            }
            return Optional.of(counted(p.getText()));
        }

        private String counted(String text) {
            textChars += text.length();
            if (textChars > maxTextChars) {
                throw malformed("has over " + maxTextChars + " characters of text");
            }
            return text;
        }

        private MessageHeaders headers(JsonToken t, String where) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return MessageHeaders.empty();
            }
            if (t != JsonToken.START_OBJECT) {
                throw malformed(where + " must be an object, got " + t);
            }
            MessageHeaders.Builder b = MessageHeaders.builder();
            int values = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!HEADER_NAME.matcher(name).matches()) {
                    throw malformed(where + " holds an invalid header name");
                }
                JsonToken v = p.nextToken();
                if (v == JsonToken.START_ARRAY) {
                    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                        values = addHeader(b, where, name, e, values);
                    }
                } else {
                    values = addHeader(b, where, name, v, values);
                }
            }
            return b.build();
        }

        private int addHeader(MessageHeaders.Builder b, String where, String name, JsonToken v, int values)
                throws IOException {
            if (v == JsonToken.VALUE_NULL) {
                return values;
            }
            if (values >= maxHeaderValues) {
                throw malformed(where + " has more than " + maxHeaderValues + " header values");
            }
            String value = scalar(where + "." + name, v).orElseThrow();
            b.add(name, MimeValues.unfold(value));
            return values + 1;
        }

        private void parts(JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return;
            }
            if (t != JsonToken.START_ARRAY) {
                throw malformed("Parts must be an array, got " + t);
            }
            for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                if (parts.size() >= maxParts) {
                    throw malformed("has more than " + maxParts + " parts");
                }
                if (e != JsonToken.START_OBJECT) {
                    throw malformed("Parts[" + parts.size() + "] must be an object, got " + e);
                }
                String where = "Parts[" + parts.size() + "]";
                MessageHeaders h = MessageHeaders.empty();
                Optional<String> ref = Optional.empty();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if (name.equals("Headers")) {
                        h = headers(v, where + ".Headers");
                    } else if (name.equals("ContentRef")) {
                        ref = scalar(where + ".ContentRef", v).map(String::strip).filter(s -> !s.isEmpty());
                    } else {
                        p.skipChildren();
                    }
                }
                parts.add(new InboundPart(h, ref));
            }
        }

        private InboundMessage build() {
            String recipient = scalars.getOrDefault("Recipient", "").strip();
            if (recipient.isEmpty()) {
                throw malformed("has no Recipient: not a Mailjet Parse API payload");
            }
            if (headers == null) {
                throw malformed("has no Headers object: not a Mailjet Parse API payload");
            }
            InboundMessage.Builder m = InboundMessage.builder()
                    .recipient(recipient)
                    .envelopeSender(scalars.getOrDefault("Sender", ""))
                    .from(MimeValues.unfold(scalars.getOrDefault("From", "")))
                    .subject(MimeValues.unfold(scalars.getOrDefault("Subject", "")))
                    .headers(headers);
            date(scalars.get("Date")).ifPresent(m::date);
            Optional.ofNullable(scalars.get("SpamAssassinScore")).map(String::strip)
                    .filter(s -> DECIMAL.matcher(s).matches()).map(BigDecimal::new).ifPresent(m::spamScore);
            Optional.ofNullable(scalars.get("CustomID")).filter(s -> !s.isEmpty()).ifPresent(m::customId);
            Optional.ofNullable(scalars.get("Payload")).filter(s -> !s.isEmpty()).ifPresent(m::payload);

            List<InboundPart> effectiveParts = parts;
            String topRef = scalars.getOrDefault("ContentRef", "").strip();
            if (parts.isEmpty() && !topRef.isEmpty()) {
                // single-part message: the part's own headers are the message's Content-* headers
                MessageHeaders.Builder contentHeaders = MessageHeaders.builder();
                headers.asMap().forEach((name, values) -> {
                    if (name.regionMatches(true, 0, "Content-", 0, 8)) {
                        values.forEach(v -> contentHeaders.add(name, v));
                    }
                });
                effectiveParts = List.of(new InboundPart(contentHeaders.build(), Optional.of(topRef)));
            }
            m.parts(effectiveParts);

            Map<String, String> extra = new LinkedHashMap<>(bodies);
            Optional.ofNullable(extra.remove("Text-part")).ifPresent(m::text);
            Optional.ofNullable(extra.remove("Html-part")).ifPresent(m::html);
            m.extraContent(extra);
            m.attachments(attachments(effectiveParts));
            return m.build();
        }

        /** Attachments in the order of their parts, then any no part refers to, in payload order. */
        private List<InboundAttachment> attachments(List<InboundPart> partList) {
            Map<String, byte[]> left = new LinkedHashMap<>(binaries);
            List<InboundAttachment> out = new ArrayList<>();
            for (InboundPart part : partList) {
                Optional<String> ref = part.contentRef();
                if (ref.isPresent() && left.containsKey(ref.get())) {
                    out.add(attachment(ref.get(), part.headers(), left.remove(ref.get())));
                }
            }
            left.forEach((key, bytes) -> out.add(attachment(key, MessageHeaders.empty(), bytes)));
            return out;
        }
    }

    private static Optional<Instant> date(@Nullable String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(text.strip(), MAILJET_DATE).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty(); // the raw Date header is still in the headers
        }
    }

    private static InboundAttachment attachment(String key, MessageHeaders h, byte[] content) {
        String contentType = h.first("Content-Type").orElse("");
        String disposition = h.first("Content-Disposition").orElse("");
        String contentId = h.first("Content-ID").map(MimeValues::stripAngles).orElse("");
        boolean inline = key.startsWith("Inline")
                || disposition.strip().toLowerCase(Locale.ROOT).startsWith("inline");
        return new InboundAttachment(MimeValues.fileName(disposition, contentType), MimeValues.mimeType(contentType),
                contentId, inline,
                content);
    }

    /** Builds a {@link MailjetInboundParser} with other limits. */
    public static final class Builder {
        private int maxParts = 500;
        private int maxHeaderValues = 1_000;
        private int maxAttachments = 200;
        private long maxAttachmentBytes = 32L * 1024 * 1024;
        private long maxTextChars = 16L * 1024 * 1024;

        private Builder() {
        }

        /**
         * @param max the most MIME parts (and, separately, text fields) a payload may list; default 500
         * @return this
         */
        public Builder maxParts(int max) {
            this.maxParts = positive(max, "maxParts");
            return this;
        }

        /**
         * @param max the most header values in one header block; default 1,000
         * @return this
         */
        public Builder maxHeaderValues(int max) {
            this.maxHeaderValues = positive(max, "maxHeaderValues");
            return this;
        }

        /**
         * @param max the most attachments and inline parts; default 200
         * @return this
         */
        public Builder maxAttachments(int max) {
            this.maxAttachments = positive(max, "maxAttachments");
            return this;
        }

        /**
         * @param max the most decoded attachment bytes in total; default 32 MiB
         * @return this
         */
        public Builder maxAttachmentBytes(long max) {
            this.maxAttachmentBytes = Math.min(positive(max, "maxAttachmentBytes"), Integer.MAX_VALUE - 8);
            return this;
        }

        /**
         * @param max the most characters of text (headers, bodies, fields) in total; default 16 Mi
         * @return this
         */
        public Builder maxTextChars(long max) {
            this.maxTextChars = Math.min(positive(max, "maxTextChars"), Integer.MAX_VALUE);
            return this;
        }

        private static <N extends Number> N positive(N n, String what) {
            if (n.longValue() < 1) {
                throw new IllegalArgumentException(what + " must be positive, got " + n);
            }
            return n;
        }

        /** @return the parser */
        public MailjetInboundParser build() {
            return new MailjetInboundParser(this);
        }
    }
}
