package io.azt3knet.mail.internal.mime;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.ParseException;
import jakarta.activation.DataSource;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Supplier;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Builds the body of a message the way mail clients expect it: {@code multipart/mixed} (body, extra
 * bodies, attachments) around {@code multipart/related} (body, inline parts referenced by
 * {@code Content-ID}) around {@code multipart/alternative} (text, HTML). A level with a single child is
 * left out, so a text-only message is a single {@code text/plain} part. Text is UTF-8.
 */
public final class MimeTree {

    private static final String UTF_8 = "UTF-8";
    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n]+[ \\t]*");

    private MimeTree() {
    }

    /**
     * A binary part: attachment or inline.
     *
     * @param fileName the file name, empty for none
     * @param contentType the MIME type; parameters are dropped, unparsable types become
     *     {@code application/octet-stream}
     * @param contentId the Content-ID without angle brackets, empty for none
     * @param content opens the content; called each time the part is written, so nothing is copied
     */
    public record Binary(String fileName, String contentType, String contentId, Supplier<InputStream> content) {
        /** Validates that nothing is null. */
        public Binary {
            Objects.requireNonNull(fileName, "fileName");
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(contentId, "contentId");
            Objects.requireNonNull(content, "content");
        }
    }

    /**
     * Fills {@code target} (a message or a body part) with the body tree.
     *
     * @param target where the content goes
     * @param text the plain-text body
     * @param html the HTML body
     * @param extraBodies further text or HTML bodies (subtype {@code plain} or {@code html} to content), shown
     *     inline after the main body
     * @param inline inline parts for the HTML body
     * @param attachments attachments
     * @throws MessagingException if Jakarta Mail refuses a part
     */
    public static void fill(MimePart target, @Nullable String text, @Nullable String html,
            List<TextBody> extraBodies, List<Binary> inline, List<Binary> attachments) throws MessagingException {
        MimePart body = target;
        if (!attachments.isEmpty() || !extraBodies.isEmpty()) {
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart first = new MimeBodyPart();
            mixed.addBodyPart(first);
            for (TextBody extra : extraBodies) {
                MimeBodyPart part = textPart(extra.content(), extra.subtype());
                part.setDisposition(Part.INLINE);
                mixed.addBodyPart(part);
            }
            for (Binary a : attachments) {
                mixed.addBodyPart(binaryPart(a, Part.ATTACHMENT));
            }
            target.setContent(mixed);
            body = first;
        }
        if (!inline.isEmpty()) {
            MimeMultipart related = new MimeMultipart("related");
            MimeBodyPart first = new MimeBodyPart();
            related.addBodyPart(first);
            for (Binary a : inline) {
                related.addBodyPart(binaryPart(a, Part.INLINE));
            }
            body.setContent(related);
            body = first;
        }
        if (text != null && html != null) {
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(textPart(text, "plain"));
            alternative.addBodyPart(textPart(html, "html"));
            body.setContent(alternative);
        } else if (html != null) {
            body.setText(html, UTF_8, "html");
        } else {
            body.setText(text == null ? "" : text, UTF_8, "plain");
        }
    }

    /**
     * A text body.
     *
     * @param content the text
     * @param subtype {@code plain} or {@code html}
     */
    public record TextBody(String content, String subtype) {
        /** Validates the subtype. */
        public TextBody {
            Objects.requireNonNull(content, "content");
            if (!subtype.equals("plain") && !subtype.equals("html")) {
                throw new IllegalArgumentException("subtype must be plain or html, got " + subtype);
            }
        }
    }

    private static MimeBodyPart textPart(String content, String subtype) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(content, UTF_8, subtype);
        return part;
    }

    private static MimeBodyPart binaryPart(Binary a, String disposition) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        String type = baseType(a.contentType());
        part.setDataHandler(new DataHandler(new StreamSource(a.content(), type)));
        part.setHeader("Content-Type", type);
        part.setDisposition(disposition);
        if (!a.fileName().isEmpty()) {
            part.setFileName(unfold(a.fileName())); // RFC 2231 encoded when not ASCII
        }
        if (!a.contentId().isEmpty()) {
            part.setContentID("<" + unfold(a.contentId()) + ">");
        }
        part.setHeader("Content-Transfer-Encoding", "base64");
        return part;
    }

    /**
     * @param contentType a MIME type, possibly with parameters
     * @return the lower-case base type, or {@code application/octet-stream} if it cannot be parsed
     */
    public static String baseType(String contentType) {
        return parseBaseType(contentType).orElse("application/octet-stream");
    }

    /**
     * @param contentType a MIME type, possibly with parameters
     * @return the lower-case base type, if the text is a MIME type
     */
    public static Optional<String> parseBaseType(String contentType) {
        try {
            ContentType ct = new ContentType(unfold(contentType));
            return Optional.of(ct.getBaseType().toLowerCase(Locale.ROOT));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    /**
     * @param value a header value
     * @return the value with line breaks (and the folding white space after them) replaced by a space, so
     *     that it cannot start a header of its own
     */
    public static String unfold(String value) {
        return LINE_BREAKS.matcher(value).replaceAll(" ").strip();
    }

    /** A read-only data source over a stream supplier. */
    private record StreamSource(Supplier<InputStream> content, String type) implements DataSource {
        @Override
        public InputStream getInputStream() {
            return content.get();
        }

        @Override
        public OutputStream getOutputStream() {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public String getContentType() {
            return type;
        }

        @Override
        public String getName() {
            return "";
        }
    }

    /**
     * A {@link MimeMessage} that keeps a {@code Message-ID} set beforehand instead of generating a new one
     * on {@code saveChanges()}, and otherwise generates {@code <random@domain>}.
     */
    public static final class IdentifiedMimeMessage extends MimeMessage {
        private final String idDomain;

        /**
         * @param session the session
         * @param idDomain the domain of generated Message-IDs
         */
        public IdentifiedMimeMessage(jakarta.mail.Session session, String idDomain) {
            super(session);
            this.idDomain = idDomain;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            if (getHeader("Message-ID") == null) {
                setHeader("Message-ID", "<" + java.util.UUID.randomUUID() + "@" + idDomain + ">");
            }
        }
    }
}
