package io.azt3knet.mail.inbound;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * A decoded attachment or inline part of an inbound message. The content is held once; {@link #content()}
 * returns a copy, {@link #openStream()} reads it without copying.
 */
public final class InboundAttachment {

    private final String fileName;
    private final String contentType;
    private final String contentId;
    private final boolean inline;
    private final byte[] content;

    /**
     * @param fileName the decoded file name, may be empty
     * @param contentType the MIME type with parameters, e.g. {@code application/pdf}
     * @param contentId the Content-ID without angle brackets, may be empty
     * @param inline whether the part is inline (referenced from the HTML body)
     * @param content the decoded bytes; taken over, not copied: the caller must not change them
     */
    public InboundAttachment(String fileName, String contentType, String contentId, boolean inline, byte[] content) {
        this.fileName = Objects.requireNonNull(fileName, "fileName");
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.contentId = Objects.requireNonNull(contentId, "contentId");
        this.inline = inline;
        this.content = Objects.requireNonNull(content, "content");
    }

    /** @return the decoded file name; empty when the part had none */
    public String fileName() {
        return fileName;
    }

    /** @return the MIME type, e.g. {@code image/png} */
    public String contentType() {
        return contentType;
    }

    /** @return the Content-ID without angle brackets, if the part had one */
    public Optional<String> contentId() {
        return contentId.isEmpty() ? Optional.empty() : Optional.of(contentId);
    }

    /** @return whether this is an inline part */
    public boolean inline() {
        return inline;
    }

    /** @return the size in bytes */
    public int size() {
        return content.length;
    }

    /** @return a copy of the content */
    public byte[] content() {
        return content.clone();
    }

    /** @return a stream over the content, without copying it */
    public InputStream openStream() {
        return new ByteArrayInputStream(content);
    }

    @Override
    public String toString() {
        return "InboundAttachment[" + fileName + ", " + contentType + ", " + content.length + " bytes"
                + (inline ? ", inline" : "") + "]";
    }
}
