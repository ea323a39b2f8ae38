package io.azt3knet.mail.send;

import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.internal.mime.MimeTree;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A message to send as an agent. The sender is not part of it: {@link MailService} sets {@code From} to
 * the agent's address and display name. Immutable; header injection is impossible (line breaks are refused
 * in every header value, display name and file name).
 *
 * <pre>{@code
 * OutgoingMessage message = OutgoingMessage.builder()
 *         .to("ada@example.org", "Ada Lovelace")
 *         .cc("team@example.org")
 *         .subject("Grüße aus dem Labor")
 *         .text("Hello Ada,\n\nsee the chart.")
 *         .html("<p>Hello Ada,</p><img src=\"cid:chart\">")
 *         .inline("chart", "image/png", chartPng)
 *         .attach("report.pdf", "application/pdf", reportPdf)
 *         .header("X-MJ-CustomID", "report-42")
 *         .build();
 * }</pre>
 */
public final class OutgoingMessage {

    /** Headers the message structure or the service owns; {@link Builder#header} refuses them. */
    private static final Set<String> RESERVED = Set.of("from", "sender", "to", "cc", "bcc", "reply-to", "subject",
            "date", "mime-version", "content-type", "content-transfer-encoding", "content-disposition",
            "content-id", "return-path");
    private static final Pattern HEADER_NAME = Pattern.compile("[!-9;-~]{1,76}");
    private static final Pattern CONTENT_ID = Pattern.compile("[!-;=?-~]{1,200}"); // printable, no < > or space

    /**
     * An address with an optional display name.
     *
     * @param address the address
     * @param displayName the display name, empty for none
     */
    public record Recipient(MailboxAddress address, String displayName) {
        /** Validates that the display name cannot inject a header. */
        public Recipient {
            Objects.requireNonNull(address, "address");
            requireSingleLine(displayName, "display name");
        }
    }

    private final List<Recipient> to;
    private final List<Recipient> cc;
    private final List<Recipient> bcc;
    private final List<Recipient> replyTo;
    private final String subject;
    private final @Nullable String text;
    private final @Nullable String html;
    private final List<MimeTree.Binary> attachments;
    private final List<MimeTree.Binary> inline;
    private final Map<String, String> headers;

    private OutgoingMessage(Builder b) {
        this.to = List.copyOf(b.to);
        this.cc = List.copyOf(b.cc);
        this.bcc = List.copyOf(b.bcc);
        this.replyTo = List.copyOf(b.replyTo);
        this.subject = b.subject;
        this.text = b.text;
        this.html = b.html;
        this.attachments = List.copyOf(b.attachments);
        this.inline = List.copyOf(b.inline);
        this.headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a reply to a stored message: {@code To} is its {@code Reply-To} (else its {@code From}), the subject
     * is its subject behind one {@code Re: } (never {@code Re: Re: }), {@code In-Reply-To} is its
     * {@code Message-ID} and {@code References} its references followed by that id, so that mail clients and
     * {@link io.azt3knet.mail.inbox.MessageStore#thread} put the reply in the conversation. Add the body and
     * send it as the agent that received the message:
     *
     * <pre>{@code
     * StoredMessage question = inbox.waitFor(credentials.address(), MessageMatch.any(), Duration.ofSeconds(30));
     * try (MailService mail = MailService.forAgent(credentials)) {
     *     mail.send(OutgoingMessage.replyTo(question).text("Noted, thanks.").build());
     * }
     * }</pre>
     *
     * @param message the message to answer
     * @return a builder holding the recipients, subject and threading headers
     * @throws IllegalArgumentException if the message has no valid {@code Reply-To} or {@code From} address
     */
    public static Builder replyTo(io.azt3knet.mail.inbox.StoredMessage message) {
        Objects.requireNonNull(message, "message");
        Builder b = new Builder();
        List<Recipient> to = ReplyHeaders.recipients(message.headers().first("Reply-To").orElse(""));
        if (to.isEmpty()) {
            to = ReplyHeaders.recipients(message.headers().first("From").orElse(""));
        }
        if (to.isEmpty()) {
            throw new IllegalArgumentException("message " + message.id() + " has no valid Reply-To or From address "
                    + "to reply to");
        }
        b.to.addAll(to);
        b.subject(ReplyHeaders.replySubject(message.summary().subject()));
        message.summary().messageId().map(io.azt3knet.mail.inbox.StoredMessage::messageIds)
                .filter(ids -> !ids.isEmpty()).map(ids -> ids.get(0)).ifPresent(id -> {
                    b.header("In-Reply-To", id);
                    List<String> refs = new ArrayList<>(message.references());
                    if (refs.isEmpty()) {
                        message.inReplyTo().ifPresent(refs::add);
                    }
                    refs.remove(id);
                    refs.add(id);
                    b.header("References", String.join(" ", ReplyHeaders.trim(refs)));
                });
        return b;
    }

    /** @return the {@code To} recipients */
    public List<Recipient> to() {
        return to;
    }

    /** @return the {@code Cc} recipients */
    public List<Recipient> cc() {
        return cc;
    }

    /** @return the blind-copy recipients (they get the message; no header names them) */
    public List<Recipient> bcc() {
        return bcc;
    }

    /** @return the {@code Reply-To} addresses */
    public List<Recipient> replyTo() {
        return replyTo;
    }

    /** @return the subject, possibly empty */
    public String subject() {
        return subject;
    }

    /** @return the plain-text body */
    public Optional<String> text() {
        return Optional.ofNullable(text);
    }

    /** @return the HTML body */
    public Optional<String> html() {
        return Optional.ofNullable(html);
    }

    /** @return the custom headers, in the order given */
    public Map<String, String> headers() {
        return headers;
    }

    List<MimeTree.Binary> attachments() {
        return attachments;
    }

    List<MimeTree.Binary> inlineParts() {
        return inline;
    }

    @Override
    public String toString() {
        return "OutgoingMessage[to=" + to.size() + ", cc=" + cc.size() + ", bcc=" + bcc.size() + ", subject=" + subject
                + ", attachments=" + attachments.size() + ", inline=" + inline.size() + "]";
    }

    private static String requireSingleLine(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            throw new IllegalArgumentException(what + " must not contain line breaks or NUL");
        }
        return value;
    }

    /** Builds an {@link OutgoingMessage}. Not thread-safe. */
    public static final class Builder {
        private final List<Recipient> to = new ArrayList<>();
        private final List<Recipient> cc = new ArrayList<>();
        private final List<Recipient> bcc = new ArrayList<>();
        private final List<Recipient> replyTo = new ArrayList<>();
        private String subject = "";
        private @Nullable String text;
        private @Nullable String html;
        private final List<MimeTree.Binary> attachments = new ArrayList<>();
        private final List<MimeTree.Binary> inline = new ArrayList<>();
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * @param address a recipient's address
         * @return this builder @throws IllegalArgumentException if invalid
         */
        public Builder to(String address) {
            return to(address, "");
        }

        /**
         * @param address a recipient's address
         * @param displayName their name
         * @return this builder
         */
        public Builder to(String address, String displayName) {
            to.add(new Recipient(MailboxAddress.parse(address), displayName));
            return this;
        }

        /**
         * @param address a copy recipient's address
         * @return this builder
         */
        public Builder cc(String address) {
            return cc(address, "");
        }

        /**
         * @param address a copy recipient's address
         * @param displayName their name
         * @return this builder
         */
        public Builder cc(String address, String displayName) {
            cc.add(new Recipient(MailboxAddress.parse(address), displayName));
            return this;
        }

        /**
         * @param address a blind-copy recipient's address
         * @return this builder
         */
        public Builder bcc(String address) {
            bcc.add(new Recipient(MailboxAddress.parse(address), ""));
            return this;
        }

        /**
         * @param address where replies should go
         * @return this builder
         */
        public Builder replyTo(String address) {
            return replyTo(address, "");
        }

        /**
         * @param address where replies should go
         * @param displayName its name
         * @return this builder
         */
        public Builder replyTo(String address, String displayName) {
            replyTo.add(new Recipient(MailboxAddress.parse(address), displayName));
            return this;
        }

        /**
         * @param subject the subject, any Unicode, one line
         * @return this builder
         */
        public Builder subject(String subject) {
            this.subject = requireSingleLine(subject, "subject");
            return this;
        }

        /**
         * @param text the plain-text body
         * @return this builder
         */
        public Builder text(String text) {
            this.text = Objects.requireNonNull(text, "text");
            return this;
        }

        /**
         * @param html the HTML body; reference inline parts as {@code cid:<contentId>}
         * @return this builder
         */
        public Builder html(String html) {
            this.html = Objects.requireNonNull(html, "html");
            return this;
        }

        /**
         * @param fileName the file name shown to the recipient (any Unicode, one line)
         * @param contentType the MIME type, e.g. {@code application/pdf}
         * @param content the bytes; copied
         * @return this builder
         */
        public Builder attach(String fileName, String contentType, byte[] content) {
            byte[] copy = content.clone();
            attachments.add(new MimeTree.Binary(requireSingleLine(fileName, "file name"), requireType(contentType), "",
                    () -> new ByteArrayInputStream(copy)));
            return this;
        }

        /**
         * Attaches a file, read now.
         *
         * @param file the file; its name is the attachment's name, its type is guessed from it
         * @return this builder
         * @throws UncheckedIOException if the file cannot be read
         */
        public Builder attach(Path file) {
            try {
                String type = Optional.ofNullable(Files.probeContentType(file))
                        .flatMap(MimeTree::parseBaseType).orElse("application/octet-stream");
                return attach(file.getFileName().toString(), type, Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the attachment " + file + ": " + e.getMessage(), e);
            }
        }

        /**
         * Adds an inline part, for the HTML body to show with {@code <img src="cid:contentId">}.
         *
         * @param contentId the Content-ID without angle brackets, e.g. {@code logo} or {@code logo@agents.example}
         * @param contentType the MIME type, e.g. {@code image/png}
         * @param content the bytes; copied
         * @return this builder
         */
        public Builder inline(String contentId, String contentType, byte[] content) {
            if (!CONTENT_ID.matcher(contentId).matches()) {
                throw new IllegalArgumentException("a Content-ID is printable ASCII without spaces or angle brackets");
            }
            byte[] copy = content.clone();
            inline.add(new MimeTree.Binary("", requireType(contentType), contentId, () -> new ByteArrayInputStream(copy)));
            return this;
        }

        /**
         * Adds a custom header such as {@code X-MJ-CustomID} or {@code X-MJ-EventPayload}. Headers that the
         * message structure owns ({@code From}, {@code To}, {@code Subject}, {@code Content-*}, ...) are
         * refused: use the builder's methods.
         *
         * @param name the header name
         * @param value the value, one line; non-ASCII text is encoded
         * @return this builder
         * @throws IllegalArgumentException for a malformed or reserved name or a value with a line break
         */
        public Builder header(String name, String value) {
            if (!HEADER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a header name: '" + name.replaceAll("\\p{Cntrl}", "?") + "'");
            }
            if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("the " + name + " header is set by the message builder, not by header()");
            }
            headers.put(name, requireSingleLine(value, "the value of header " + name));
            return this;
        }

        private static String requireType(String contentType) {
            requireSingleLine(contentType, "content type");
            return MimeTree.parseBaseType(contentType).orElseThrow(
                    () -> new IllegalArgumentException("not a MIME type: '" + contentType + "'"));
        }

        /**
         * @return the message
         * @throws IllegalStateException if it has no recipient
         */
        public OutgoingMessage build() {
            if (to.isEmpty() && cc.isEmpty() && bcc.isEmpty()) {
                throw new IllegalStateException("a message needs at least one recipient (to, cc or bcc)");
            }
            return new OutgoingMessage(this);
        }
    }
}
