package io.azt3knet.mail.inbox;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * An attachment (or inline part) of a {@link StoredMessage}. Its content is not held in memory: each
 * {@link #openStream()} reads it, decoded, from the store.
 */
public final class StoredAttachment {

    private final String fileName;
    private final String contentType;
    private final Optional<String> contentId;
    private final boolean inline;
    private final Content content;

    /**
     * @param fileName the file name, possibly empty
     * @param contentType the MIME type without parameters, e.g. {@code application/pdf}
     * @param contentId the {@code Content-ID} without angle brackets, for inline parts
     * @param inline whether the part is shown inside the body rather than attached
     * @param content opens the decoded content
     */
    public StoredAttachment(String fileName, String contentType, Optional<String> contentId, boolean inline,
            Content content) {
        this.fileName = Objects.requireNonNull(fileName, "fileName");
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.contentId = Objects.requireNonNull(contentId, "contentId");
        this.inline = inline;
        this.content = Objects.requireNonNull(content, "content");
    }

    /** @return the file name, possibly empty */
    public String fileName() {
        return fileName;
    }

    /** @return the MIME type without parameters */
    public String contentType() {
        return contentType;
    }

    /** @return the {@code Content-ID} without angle brackets, when present */
    public Optional<String> contentId() {
        return contentId;
    }

    /** @return whether the part is shown inside the body */
    public boolean inline() {
        return inline;
    }

    /**
     * @return a new stream over the decoded content; the caller closes it
     * @throws IOException if the message is gone from the store or cannot be read
     */
    public InputStream openStream() throws IOException {
        return content.open();
    }

    @Override
    public String toString() {
        return "StoredAttachment[" + fileName + ", " + contentType + (inline ? ", inline" : "") + "]";
    }

    /** Opens the decoded content of a part, reading it from the store each time. */
    @FunctionalInterface
    public interface Content {
        /**
         * @return a new stream; the caller closes it
         * @throws IOException if the content cannot be read
         */
        InputStream open() throws IOException;
    }
}
