package io.azt3knet.mail.internal.mime;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
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
     * <p>Text bodies are encoded once, up front, with the transfer encoding Jakarta Mail itself would choose
     * ({@code 7bit}, {@code quoted-printable} or {@code base64}, see {@link #encodeText(String)}), and handed to
     * Jakarta Mail already encoded: it then copies the bytes instead of scanning the text again to choose an
     * encoding and pushing it one byte at a time through a writer and an encoder stream (a megabyte of text took
     * tens of milliseconds of CPU that way). When {@code target} is not an {@link IdentifiedMimeMessage} and the
     * body is a single text, Jakarta Mail encodes it as before.
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
        JakartaMailRuntime.ensureStreamProvider();
        // built from the inside out: alternative (text, HTML), then related (+ inline), then mixed (+ the rest)
        @Nullable MimeMultipart content = null;
        @Nullable TextBody single = null;
        if (text != null && html != null) {
            content = new MimeMultipart("alternative");
            content.addBodyPart(textPart(text, "plain"));
            content.addBodyPart(textPart(html, "html"));
        } else {
            single = html != null ? new TextBody(html, "html") : new TextBody(text == null ? "" : text, "plain");
        }
        if (!inline.isEmpty()) {
            MimeMultipart related = new MimeMultipart("related");
            related.addBodyPart(asPart(content, single));
            for (Binary a : inline) {
                related.addBodyPart(binaryPart(a, Part.INLINE));
            }
            content = related;
            single = null;
        }
        if (!attachments.isEmpty() || !extraBodies.isEmpty()) {
            MimeMultipart mixed = new MimeMultipart("mixed");
            mixed.addBodyPart(asPart(content, single));
            for (TextBody extra : extraBodies) {
                MimeBodyPart part = textPart(extra.content(), extra.subtype());
                part.setDisposition(Part.INLINE);
                mixed.addBodyPart(part);
            }
            for (Binary a : attachments) {
                mixed.addBodyPart(binaryPart(a, Part.ATTACHMENT));
            }
            content = mixed;
            single = null;
        }
        if (content != null) {
            target.setContent(content);
        } else if (target instanceof IdentifiedMimeMessage message) {
            EncodedText encoded = encodeText(java.util.Objects.requireNonNull(single).content());
            message.setEncodedContent(textType(single.subtype()), encoded.transferEncoding(), encoded.bytes());
        } else {
            target.setText(java.util.Objects.requireNonNull(single).content(), UTF_8, single.subtype());
        }
    }

    private static MimeBodyPart asPart(@Nullable MimeMultipart content, @Nullable TextBody single)
            throws MessagingException {
        if (content != null) {
            MimeBodyPart part = new MimeBodyPart();
            part.setContent(content);
            return part;
        }
        TextBody body = java.util.Objects.requireNonNull(single);
        return textPart(body.content(), body.subtype());
    }

    private static String textType(String subtype) {
        return "text/" + subtype + "; charset=" + UTF_8;
    }

    /**
     * A text encoded for a MIME body.
     *
     * @param transferEncoding {@code 7bit}, {@code quoted-printable} or {@code base64}
     * @param bytes the encoded UTF-8 text
     */
    public record EncodedText(String transferEncoding, byte[] bytes) {
        /** Validates that nothing is null. */
        public EncodedText {
            java.util.Objects.requireNonNull(transferEncoding, "transferEncoding");
            java.util.Objects.requireNonNull(bytes, "bytes");
        }
    }

    /**
     * Encodes a text as UTF-8 with the transfer encoding Jakarta Mail chooses for a {@code text/*} part of that
     * content ({@link MimeUtility#getEncoding(DataSource)}: {@code 7bit} when every byte is ASCII and every line
     * fits, {@code quoted-printable} when most bytes are, {@code base64} otherwise), encoded by Jakarta Mail's
     * own encoder into a buffer that is written in bulk.
     *
     * @param text the text
     * @return the encoding and the encoded bytes
     * @throws MessagingException if Jakarta Mail has no encoder for the encoding it chose
     */
    public static EncodedText encodeText(String text) throws MessagingException {
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String encoding = MimeUtility.getEncoding(new ByteArrayDataSource(utf8, textType("plain")));
        if (encoding.equalsIgnoreCase("7bit")) {
            return new EncodedText("7bit", utf8);
        }
        UnsynchronizedBytes out = new UnsynchronizedBytes(encoding.equalsIgnoreCase("base64")
                ? utf8.length / 3 * 4 + utf8.length / 38 + 16 : utf8.length + utf8.length / 16 + 16);
        try (OutputStream encoder = MimeUtility.encode(out, encoding)) {
            encoder.write(utf8);
        } catch (java.io.IOException e) {
            throw new MessagingException("cannot encode a text body as " + encoding + ": " + e.getMessage(), e);
        }
        return new EncodedText(encoding, out.toByteArray());
    }

    /** A growable byte buffer without {@link java.io.ByteArrayOutputStream}'s lock per written byte. */
    private static final class UnsynchronizedBytes extends OutputStream {
        private byte[] bytes;
        private int size;

        UnsynchronizedBytes(int initialCapacity) {
            bytes = new byte[Math.max(64, initialCapacity)];
        }

        @Override
        public void write(int b) {
            if (size == bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (size + len > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + len));
            }
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        byte[] toByteArray() {
            return size == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, size);
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

    /** A text part whose content is encoded already: Jakarta Mail writes its bytes as they are. */
    private static MimeBodyPart textPart(String content, String subtype) throws MessagingException {
        EncodedText encoded = encodeText(content);
        InternetHeaders headers = new InternetHeaders();
        headers.setHeader("Content-Type", textType(subtype));
        headers.setHeader("Content-Transfer-Encoding", encoded.transferEncoding());
        return new MimeBodyPart(headers, encoded.bytes());
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
        if (value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            return value.strip(); // the usual case, without a matcher per header value
        }
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

        /**
         * Sets the body to bytes that are encoded already, as a parsed message holds them: Jakarta Mail then
         * leaves the content headers alone and writes the bytes as they are.
         *
         * @param contentType the {@code Content-Type}
         * @param transferEncoding the {@code Content-Transfer-Encoding} the bytes are in
         * @param encoded the encoded body
         * @throws MessagingException if the headers cannot be set
         */
        void setEncodedContent(String contentType, String transferEncoding, byte[] encoded) throws MessagingException {
            setHeader("Content-Type", contentType);
            setHeader("Content-Transfer-Encoding", transferEncoding);
            this.dh = null;
            this.contentStream = null;
            this.content = encoded;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            if (getHeader("Message-ID") == null) {
                setHeader("Message-ID", "<" + java.util.UUID.randomUUID() + "@" + idDomain + ">");
            }
        }
    }
}
