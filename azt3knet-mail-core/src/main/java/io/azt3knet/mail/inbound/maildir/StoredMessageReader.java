package io.azt3knet.mail.inbound.maildir;

import io.azt3knet.mail.internal.mime.JakartaMailRuntime;
import io.azt3knet.mail.inbound.MessageHeaders;
import io.azt3knet.mail.inbox.MessageSummary;
import io.azt3knet.mail.inbox.StoredAttachment;
import io.azt3knet.mail.inbox.StoredMessage;
import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.SharedFileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Parses a Maildir message file into the structured view of {@link MaildirMessageStore#get}: its headers, its
 * text and HTML bodies and its attachments, whose content is read from the file again when opened.
 */
final class StoredMessageReader {

    private static final Session SESSION = Session.getInstance(new Properties());

    private StoredMessageReader() {
    }

    /**
     * @param e the message file
     * @param summary the summary the store made of its headers
     * @return the message, with its headers, bodies and attachments
     * @throws IOException if the file cannot be read (it may have been renamed or deleted meanwhile)
     * @throws MessagingException if the message cannot be parsed
     */
    static StoredMessage read(MaildirEntry e, MessageSummary summary) throws IOException, MessagingException {
        Path maildir = e.file().getParent().getParent();
        JakartaMailRuntime.ensureStreamProvider();
        try (SharedFileInputStream in = new SharedFileInputStream(e.file().toFile())) {
            MimeMessage mime = new MimeMessage(SESSION, in);
            MessageHeaders.Builder headers = MessageHeaders.builder();
            for (Enumeration<Header> all = mime.getAllHeaders(); all.hasMoreElements(); ) {
                Header header = all.nextElement();
                headers.add(header.getName(), MimeUtility.unfold(header.getValue()).strip());
            }
            Bodies bodies = new Bodies(maildir, e.id());
            bodies.walk(mime, new ArrayDeque<>());
            return new StoredMessage(summary, headers.build(), Optional.ofNullable(bodies.text),
                    Optional.ofNullable(bodies.html), bodies.attachments);
        }
    }

    /** Collects the text and HTML bodies and the attachments of a MIME tree, depth first. */
    private static final class Bodies {
        private final Path maildir;
        private final String id;
        @Nullable String text;
        @Nullable String html;
        final List<StoredAttachment> attachments = new ArrayList<>();

        Bodies(Path maildir, String id) {
            this.maildir = maildir;
            this.id = id;
        }

        void walk(Part part, Deque<Integer> path) throws MessagingException, IOException {
            if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    path.addLast(i);
                    walk(multipart.getBodyPart(i), path);
                    path.removeLast();
                }
                return;
            }
            String disposition = part.getDisposition();
            String fileName = fileName(part);
            boolean attached = Part.ATTACHMENT.equalsIgnoreCase(disposition) || !fileName.isEmpty();
            if (!attached && text == null && part.isMimeType("text/plain")) {
                text = String.valueOf(part.getContent());
                return;
            }
            if (!attached && html == null && part.isMimeType("text/html")) {
                html = String.valueOf(part.getContent());
                return;
            }
            String[] ids = part.getHeader("Content-ID");
            Optional<String> contentId = ids == null || ids.length == 0 ? Optional.empty()
                    : Optional.of(ids[0].strip().replaceAll("^<|>$", "")).filter(s -> !s.isEmpty());
            boolean inline = Part.INLINE.equalsIgnoreCase(disposition) || disposition == null && contentId.isPresent();
            List<Integer> at = List.copyOf(path);
            attachments.add(new StoredAttachment(fileName, baseType(part.getContentType()), contentId, inline,
                    () -> openPart(maildir, id, at)));
        }

        private static String fileName(Part part) {
            try {
                String name = part.getFileName();
                return name == null ? "" : MimeUtility.decodeText(name);
            } catch (MessagingException | java.io.UnsupportedEncodingException e) {
                return "";
            }
        }

        private static String baseType(String contentType) {
            try {
                return new ContentType(contentType).getBaseType().toLowerCase(Locale.ROOT);
            } catch (jakarta.mail.internet.ParseException | RuntimeException e) {
                return "application/octet-stream";
            }
        }
    }

    /** Opens one part's decoded content, reading the file again (it may have been renamed since). */
    private static InputStream openPart(Path maildir, String id, List<Integer> path) throws IOException {
        MaildirEntry e = MaildirMessageStore.resolve(maildir, id).orElseThrow(() -> new NoSuchFileException(
                "message " + id + " is no longer in " + maildir));
        JakartaMailRuntime.ensureStreamProvider();
        SharedFileInputStream in = new SharedFileInputStream(e.file().toFile());
        try {
            Part part = new MimeMessage(SESSION, in);
            for (int index : path) {
                BodyPart child = ((Multipart) part.getContent()).getBodyPart(index);
                part = child;
            }
            InputStream content = part.getInputStream();
            return new FilterInputStream(content) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        in.close();
                    }
                }
            };
        } catch (MessagingException | RuntimeException ex) {
            in.close();
            throw new IOException("cannot read part " + path + " of message " + id + ": " + ex, ex);
        } catch (IOException ex) {
            in.close();
            throw ex;
        }
    }
}
