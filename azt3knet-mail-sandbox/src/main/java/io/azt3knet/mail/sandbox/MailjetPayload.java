package io.azt3knet.mail.sandbox;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a message as received over SMTP into the JSON body Mailjet's Parse API posts for one recipient (shape in
 * Mailjet's Parse API guide and as observed in real payloads): {@code Sender} and {@code Recipient} from the
 * envelope, {@code Date} as {@code yyyyMMdd'T'HHmmss} in UTC, {@code From} (raw) and {@code Subject} (decoded),
 * {@code Headers} with the single-valued headers as strings and every other header as an array of its occurrences
 * (folded lines joined with the tab Mailjet leaves), {@code Parts} listing the MIME tree in order (containers with
 * headers only, leaves with a {@code ContentRef}), {@code Text-part}/{@code Html-part} (then {@code Text-part2}...)
 * decoded to text, {@code AttachmentN}/{@code InlineAttachmentN} in base64 whatever the part's transfer encoding,
 * {@code SpamAssassinScore} as a decimal string. A single-part text message has empty {@code Parts} and a
 * top-level {@code ContentRef}, as Mailjet sends it.
 */
final class MailjetPayload {

    /** The headers Mailjet sends as one string; every other header is an array. */
    private static final Set<String> SINGLE = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();
    private static final Session SESSION = Session.getInstance(new Properties());

    static {
        Collections.addAll(SINGLE, "Date", "From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Message-ID",
                "In-Reply-To", "References", "Subject");
    }

    private MailjetPayload() {
    }

    /**
     * @param raw the message as received (RFC 5322, CRLF line ends)
     * @return the parsed message
     * @throws MessagingException if it is not a message at all
     */
    static MimeMessage parse(byte[] raw) throws MessagingException {
        io.azt3knet.mail.internal.mime.JakartaMailRuntime.ensureStreamProvider();
        return new MimeMessage(SESSION, new ByteArrayInputStream(raw));
    }

    /**
     * @param message the received message
     * @param envelopeSender {@code MAIL FROM}
     * @param recipient the {@code RCPT TO} this POST is for
     * @param spamScore the score to report
     * @param receivedAt when the sandbox accepted it (the {@code Date} field when the message has none)
     * @return the JSON body
     * @throws MessagingException if the MIME structure cannot be read
     * @throws IOException if a part cannot be decoded
     */
    static byte[] toJson(MimeMessage message, String envelopeSender, String recipient, BigDecimal spamScore,
            Instant receivedAt) throws MessagingException, IOException {
        Bodies bodies = new Bodies();
        List<Map<String, List<String>>> partHeaders = new ArrayList<>();
        List<String> partRefs = new ArrayList<>();
        String topRef = null;
        if (message.isMimeType("multipart/*")) {
            walk(message, bodies, partHeaders, partRefs, true);
        } else {
            String ref = bodies.add(message);
            if (ref.startsWith("Text-part") || ref.startsWith("Html-part")) {
                topRef = ref;
            } else {
                partHeaders.add(headers(message));
                partRefs.add(ref);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096 + message.getSize() * 2);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("Sender", envelopeSender);
            g.writeStringField("Recipient", recipient);
            Instant date = message.getSentDate() == null ? receivedAt : message.getSentDate().toInstant();
            g.writeStringField("Date", COMPACT.format(date));
            g.writeStringField("From", firstRaw(message, "From"));
            g.writeStringField("Subject", message.getSubject() == null ? "" : message.getSubject());
            g.writeFieldName("Headers");
            writeHeaders(g, headers(message), true);
            g.writeArrayFieldStart("Parts");
            for (int i = 0; i < partHeaders.size(); i++) {
                g.writeStartObject();
                g.writeFieldName("Headers");
                writeHeaders(g, partHeaders.get(i), false);
                if (partRefs.get(i) != null) {
                    g.writeStringField("ContentRef", partRefs.get(i));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            if (topRef != null) {
                g.writeStringField("ContentRef", topRef);
            }
            for (Map.Entry<String, String> text : bodies.texts.entrySet()) {
                g.writeStringField(text.getKey(), text.getValue());
            }
            for (Map.Entry<String, byte[]> binary : bodies.binaries.entrySet()) {
                g.writeFieldName(binary.getKey());
                g.writeBinary(binary.getValue()); // standard base64, as Mailjet sends
            }
            g.writeStringField("SpamAssassinScore", spamScore.setScale(3, java.math.RoundingMode.HALF_UP).toPlainString());
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void walk(Part part, Bodies bodies, List<Map<String, List<String>>> headers, List<String> refs,
            boolean top) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            if (!top) { // the message's own container is described by the top-level Headers only
                headers.add(headers((MimePart) part));
                refs.add(null);
            }
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                walk(child, bodies, headers, refs, false);
            }
            return;
        }
        headers.add(headers((MimePart) part));
        refs.add(bodies.add(part));
    }

    private static Map<String, List<String>> headers(MimePart part) throws MessagingException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Map<String, String> names = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Enumeration<Header> e = part.getAllHeaders(); e.hasMoreElements(); ) {
            Header h = e.nextElement();
            String name = names.computeIfAbsent(h.getName(), n -> n);
            out.computeIfAbsent(name, n -> new ArrayList<>()).add(unfold(h.getValue()));
        }
        return out;
    }

    /** Mailjet joins folded lines, leaving the folding whitespace (a tab) in place. */
    private static String unfold(String value) {
        return value.replace("\r\n", "").replace("\n", "");
    }

    private static String firstRaw(MimePart part, String name) throws MessagingException {
        String[] values = part.getHeader(name);
        return values == null || values.length == 0 ? "" : unfold(values[0]).strip();
    }

    private static void writeHeaders(JsonGenerator g, Map<String, List<String>> headers, boolean top)
            throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (top && SINGLE.contains(h.getKey()) && h.getValue().size() == 1) {
                g.writeStringField(h.getKey(), h.getValue().get(0).strip());
            } else {
                g.writeArrayFieldStart(h.getKey());
                for (String v : h.getValue()) {
                    g.writeString(v.strip());
                }
                g.writeEndArray();
            }
        }
        g.writeEndObject();
    }

    /** The bodies and attachments of one message, named as Mailjet names them. */
    private static final class Bodies {
        final Map<String, String> texts = new LinkedHashMap<>();
        final Map<String, byte[]> binaries = new LinkedHashMap<>();
        private int textParts;
        private int htmlParts;
        private int attachments;
        private int inlines;

        String add(Part part) throws MessagingException, IOException {
            String disposition = part.getDisposition();
            boolean attached = Part.ATTACHMENT.equalsIgnoreCase(disposition) || part.getFileName() != null;
            if (!attached && part.isMimeType("text/plain")) {
                String key = "Text-part" + (textParts++ == 0 ? "" : String.valueOf(textParts));
                texts.put(key, text(part));
                return key;
            }
            if (!attached && part.isMimeType("text/html")) {
                String key = "Html-part" + (htmlParts++ == 0 ? "" : String.valueOf(htmlParts));
                texts.put(key, text(part));
                return key;
            }
            boolean inline = Part.INLINE.equalsIgnoreCase(disposition)
                    || (disposition == null && part instanceof MimePart mp && mp.getContentID() != null);
            String key = inline ? "InlineAttachment" + (++inlines) : "Attachment" + (++attachments);
            try (InputStream in = part.getInputStream()) {
                binaries.put(key, in.readAllBytes());
            }
            return key;
        }

        private static String text(Part part) throws MessagingException, IOException {
            Charset charset = StandardCharsets.UTF_8;
            try {
                String name = new ContentType(part.getContentType()).getParameter("charset");
                if (name != null) {
                    charset = Charset.forName(name.strip());
                }
            } catch (MessagingException | IllegalArgumentException unknownCharset) {
                // Mailjet converts to UTF-8 and guesses too
            }
            try (InputStream in = part.getInputStream()) {
                return new String(in.readAllBytes(), charset);
            }
        }
    }
}
