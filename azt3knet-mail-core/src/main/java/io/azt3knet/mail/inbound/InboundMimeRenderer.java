package io.azt3knet.mail.inbound;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.ParseException;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Renders an {@link InboundMessage} as a MIME message: {@code multipart/mixed} (body, attachments) around
 * {@code multipart/related} (body, inline parts) around {@code multipart/alternative} (text, HTML); levels
 * that would hold a single child are left out. The provider's flattened part list cannot be turned back
 * into the original tree reliably, so the structure is rebuilt from the decoded bodies and attachments.
 */
final class InboundMimeRenderer {

    /** Headers copied from the original message, when present. */
    private static final List<String> ADDRESS_HEADERS = List.of("From", "To", "Cc", "Reply-To", "Sender");
    private static final List<String> VERBATIM_HEADERS = List.of("Date", "Message-ID", "In-Reply-To", "References");
    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n]+[ \\t]*");
    private static final String UTF_8 = "UTF-8";

    private InboundMimeRenderer() {
    }

    /** A session for rendering only: no transport, default MIME settings. */
    static Session defaultSession() {
        return Session.getInstance(new Properties());
    }

    static MimeMessage render(InboundMessage m, Session session) throws MessagingException {
        MimeMessage out = new PreservingMimeMessage(session);
        writeHeaders(m, out);

        Part body = out;
        List<InboundAttachment> attached = new ArrayList<>();
        List<InboundAttachment> inline = new ArrayList<>();
        for (InboundAttachment a : m.attachments()) {
            (a.inline() ? inline : attached).add(a);
        }
        List<MimeBodyPart> extras = extraBodies(m.extraContent());
        if (!attached.isEmpty() || !extras.isEmpty()) {
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart first = new MimeBodyPart();
            mixed.addBodyPart(first);
            for (MimeBodyPart extra : extras) {
                mixed.addBodyPart(extra);
            }
            for (InboundAttachment a : attached) {
                mixed.addBodyPart(attachmentPart(a, Part.ATTACHMENT));
            }
            out.setContent(mixed);
            body = first;
        }
        if (!inline.isEmpty()) {
            MimeMultipart related = new MimeMultipart("related");
            MimeBodyPart first = new MimeBodyPart();
            related.addBodyPart(first);
            for (InboundAttachment a : inline) {
                related.addBodyPart(attachmentPart(a, Part.INLINE));
            }
            body.setContent(related);
            body = first;
        }
        writeAlternatives(m, body);
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
    }

    private static void setAscii(MimeMessage out, String name, String value) {
        try {
            out.setHeader(name, StandardCharsets.US_ASCII.newEncoder().canEncode(value)
                    ? value : jakarta.mail.internet.MimeUtility.encodeText(value, UTF_8, "Q"));
        } catch (MessagingException | java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException("cannot set header " + name, e);
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
            try {
                return jakarta.mail.internet.MimeUtility.encodeText(value, UTF_8, "Q");
            } catch (java.io.UnsupportedEncodingException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    private static void writeAlternatives(InboundMessage m, Part target) throws MessagingException {
        String text = m.text().orElse(null);
        String html = m.html().orElse(null);
        if (text != null && html != null) {
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(textPart(text, "plain"));
            alternative.addBodyPart(textPart(html, "html"));
            target.setContent(alternative);
        } else if (html != null) {
            setText(target, html, "html");
        } else {
            setText(target, text == null ? "" : text, "plain");
        }
    }

    private static MimeBodyPart textPart(String content, String subtype) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(content, UTF_8, subtype);
        return part;
    }

    private static void setText(Part target, String content, String subtype) throws MessagingException {
        if (target instanceof MimeMessage msg) {
            msg.setText(content, UTF_8, subtype);
        } else {
            ((MimeBodyPart) target).setText(content, UTF_8, subtype);
        }
    }

    private static List<MimeBodyPart> extraBodies(Map<String, String> extra) throws MessagingException {
        List<MimeBodyPart> parts = new ArrayList<>();
        for (Map.Entry<String, String> e : extra.entrySet()) {
            String subtype = e.getKey().toLowerCase(Locale.ROOT).startsWith("html") ? "html" : "plain";
            MimeBodyPart part = textPart(e.getValue(), subtype);
            part.setDisposition(Part.INLINE);
            parts.add(part);
        }
        return parts;
    }

    private static MimeBodyPart attachmentPart(InboundAttachment a, String disposition) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        String type = baseType(a.contentType());
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(a.content(), type)));
        part.setHeader("Content-Type", type);
        part.setDisposition(disposition);
        if (!a.fileName().isEmpty()) {
            part.setFileName(clean(a.fileName()));
        }
        if (a.contentId().isPresent()) {
            part.setContentID("<" + clean(a.contentId().get()) + ">");
        }
        part.setHeader("Content-Transfer-Encoding", "base64");
        return part;
    }

    /** The type without parameters (the file name is set again, encoded properly); octet-stream if unparsable. */
    private static String baseType(String contentType) {
        try {
            ContentType ct = new ContentType(clean(contentType));
            return ct.getBaseType().toLowerCase(Locale.ROOT);
        } catch (ParseException e) {
            return "application/octet-stream";
        }
    }

    /** Unfolds line breaks so that no value can start a header of its own. */
    static String clean(String value) {
        return LINE_BREAKS.matcher(value).replaceAll(" ").strip();
    }

    /** Keeps the original Message-ID instead of generating one on {@code saveChanges()}. */
    private static final class PreservingMimeMessage extends MimeMessage {
        PreservingMimeMessage(Session session) {
            super(session);
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            if (getHeader("Message-ID") == null) {
                super.updateMessageID();
            }
        }
    }
}
