package io.azt3knet.mail.inbound.maildir;

import io.azt3knet.mail.inbound.InboundAttachment;
import io.azt3knet.mail.inbound.InboundMessage;
import io.azt3knet.mail.inbound.MessageHeaders;

import io.azt3knet.mail.internal.mime.JakartaMailRuntime;
import io.azt3knet.mail.internal.mime.MimeTree;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Renders an {@link InboundMessage} as a MIME message: {@code multipart/mixed} (body, attachments) around
 * {@code multipart/related} (body, inline parts) around {@code multipart/alternative} (text, HTML); levels
 * that would hold a single child are left out. The provider's flattened part list cannot be turned back
 * into the original tree reliably, so the structure is rebuilt from the decoded bodies and attachments.
 */
public final class InboundMimeRenderer {

    /** Headers copied from the original message, when present. */
    private static final List<String> ADDRESS_HEADERS = List.of("From", "To", "Cc", "Reply-To", "Sender");
    private static final List<String> VERBATIM_HEADERS = List.of("Date", "Message-ID", "In-Reply-To", "References");
    private static final String UTF_8 = "UTF-8";
    /** Trace headers: every original value is kept, after the renderer's own. */
    private static final Set<String> TRACE_HEADERS = Set.of("received", "delivered-to");
    /** RFC 5322 field-name: printable US-ASCII except ':'. */
    private static final Pattern FIELD_NAME = Pattern.compile("[!-9;-~]+");

    private InboundMimeRenderer() {
    }

    /** A session for rendering only: no transport, default MIME settings. */
    private static Session defaultSession() {
        return Session.getInstance(new Properties());
    }

    /**
     * Writes a message as RFC 5322 bytes (CRLF line ends, 7-bit clean), as rendered by
     * {@link #render(InboundMessage, Session)}.
     *
     * @param message the message
     * @param out where to write; not closed
     * @throws java.io.IOException if writing fails or Jakarta Mail refused a part
     */
    public static void writeTo(InboundMessage message, java.io.OutputStream out) throws java.io.IOException {
        java.util.Objects.requireNonNull(message, "message");
        java.util.Objects.requireNonNull(out, "out");
        try {
            render(message, defaultSession()).writeTo(out);
        } catch (MessagingException e) {
            throw new java.io.IOException("cannot render the message as MIME: " + e.getMessage(), e);
        }
    }

    /**
     * @param message the message
     * @return the message as RFC 5322 bytes, see {@link #writeTo(InboundMessage, java.io.OutputStream)}
     * @throws java.io.UncheckedIOException if the message cannot be rendered
     */
    public static byte[] toBytes(InboundMessage message) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            writeTo(message, out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String idDomain(String recipient) {
        String domain = recipient.substring(recipient.lastIndexOf('@') + 1).strip();
        return domain.matches("[A-Za-z0-9.-]+") ? domain : "inbound.invalid";
    }

    /**
     * Renders a message as a MIME message that mail clients open as the sender meant it, with the original
     * address, date and threading headers, {@code Delivered-To} (the envelope recipient), {@code Return-Path}
     * (the envelope sender), the provider's extras, and every other original top-level header except
     * {@code Content-*} and {@code MIME-Version}. Values are unfolded so that none can start a header of its own.
     *
     * @param m the message
     * @param session the session whose MIME settings apply
     * @return a new message, headers updated
     * @throws MessagingException if Jakarta Mail cannot build it
     */
    public static MimeMessage render(InboundMessage m, Session session) throws MessagingException {
        JakartaMailRuntime.ensureStreamProvider();
        // the domain only matters when the original had no Message-ID
        MimeMessage out = new MimeTree.IdentifiedMimeMessage(session, idDomain(m.recipient()));
        writeHeaders(m, out);

        List<MimeTree.Binary> attached = new ArrayList<>();
        List<MimeTree.Binary> inline = new ArrayList<>();
        for (InboundAttachment a : m.attachments()) {
            (a.inline() ? inline : attached).add(new MimeTree.Binary(a.fileName(), a.contentType(),
                    a.contentId().orElse(""), a::openStream));
        }
        List<MimeTree.TextBody> extras = new ArrayList<>();
        m.extraContent().forEach((key, content) -> extras.add(new MimeTree.TextBody(content,
                key.toLowerCase(Locale.ROOT).startsWith("html") ? "html" : "plain")));
        MimeTree.fill(out, m.text().orElse(null), m.html().orElse(null), extras, inline, attached);
        out.saveChanges();
        return out;
    }

    private static void writeHeaders(InboundMessage m, MimeMessage out) throws MessagingException {
        MessageHeaders h = m.headers();
        if (!m.recipient().isEmpty()) {
            out.setHeader("Delivered-To", clean(m.recipient()));
        }
        if (!m.envelopeSender().isEmpty()) {
            out.setHeader("Return-Path", "<" + clean(m.envelopeSender()) + ">");
        }
        for (String name : ADDRESS_HEADERS) {
            String value = h.first(name).orElse(name.equals("From") ? m.from() : "");
            if (name.equals("To") && value.isBlank()) {
                value = m.recipient();
            }
            if (!value.isBlank()) {
                out.setHeader(name, addressHeader(value));
            }
        }
        for (String name : VERBATIM_HEADERS) {
            h.first(name).map(InboundMimeRenderer::clean).filter(v -> !v.isEmpty())
                    .ifPresent(v -> setAscii(out, name, v));
        }
        if (out.getHeader("Date") == null) {
            m.date().ifPresent(d -> setAscii(out, "Date", new MailDateFormat().format(Date.from(d))));
        }
        String subject = m.subject().isEmpty() ? h.first("Subject").orElse("") : m.subject();
        out.setSubject(clean(subject), UTF_8);
        m.spamScore().ifPresent(s -> setAscii(out, "X-Spam-Score", s.toPlainString()));
        m.customId().map(InboundMimeRenderer::clean).filter(v -> !v.isEmpty())
                .ifPresent(v -> setAscii(out, "X-MJ-CustomID", v));
        m.payload().map(InboundMimeRenderer::clean).filter(v -> !v.isEmpty())
                .ifPresent(v -> setAscii(out, "X-MJ-EventPayload", v));
        copyOtherHeaders(h, out);
    }

    /**
     * Copies every other original header (Received, Authentication-Results, DKIM-Signature, List-*, X-*...),
     * all values in order, except the body's own ({@code Content-*}, {@code MIME-Version}: they describe the
     * original MIME tree, which is rebuilt), {@code Return-Path} (replaced by the envelope sender) and those
     * the renderer has set already. Names that are not valid field names are skipped, values are unfolded (no
     * line break can start a header of its own), encoded when not ASCII and folded again at white space.
     */
    private static void copyOtherHeaders(MessageHeaders h, MimeMessage out) throws MessagingException {
        for (Map.Entry<String, List<String>> header : h.asMap().entrySet()) {
            String name = header.getKey().strip();
            String lower = name.toLowerCase(Locale.ROOT);
            boolean owned = lower.startsWith("content-") || lower.equals("mime-version") || lower.equals("return-path")
                    || !TRACE_HEADERS.contains(lower) && out.getHeader(name) != null;
            if (owned || !FIELD_NAME.matcher(name).matches()) {
                continue;
            }
            List<String> values = new ArrayList<>(header.getValue());
            if (lower.equals("received")) {
                Collections.reverse(values); // Jakarta Mail puts each added Received header first
            }
            for (String raw : values) {
                String value = clean(raw);
                out.addHeader(name, MimeUtility.fold(name.length() + 2, ascii(value)));
            }
        }
    }

    private static void setAscii(MimeMessage out, String name, String value) {
        try {
            out.setHeader(name, MimeUtility.fold(name.length() + 2, ascii(value)));
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot set header " + name, e);
        }
    }

    /** The value itself when it is ASCII, else encoded words (RFC 2047), so that the file stays 7-bit clean. */
    private static String ascii(String value) {
        if (StandardCharsets.US_ASCII.newEncoder().canEncode(value)) {
            return value;
        }
        try {
            return MimeUtility.encodeText(value, UTF_8, "Q");
        } catch (java.io.UnsupportedEncodingException impossible) {
            throw new IllegalStateException("every Java runtime has UTF-8", impossible);
        }
    }

    /**
     * Address lists keep their original text when it is ASCII (it may hold encoded words already); with
     * raw UTF-8 display names they are re-encoded so that the file stays 7-bit clean.
     */
    private static String addressHeader(String raw) throws MessagingException {
        String value = clean(raw);
        if (StandardCharsets.US_ASCII.newEncoder().canEncode(value)) {
            return value;
        }
        try {
            InternetAddress[] parsed = InternetAddress.parseHeader(value, false);
            List<String> encoded = new ArrayList<>();
            for (InternetAddress a : parsed) {
                InternetAddress copy = new InternetAddress(a.getAddress());
                if (a.getPersonal() != null) {
                    copy.setPersonal(a.getPersonal(), UTF_8);
                }
                encoded.add(copy.toString());
            }
            return String.join(", ", encoded);
        } catch (AddressException | java.io.UnsupportedEncodingException e) {
            return ascii(value);
        }
    }

    private static String clean(String value) {
        return MimeTree.unfold(value);
    }
}
