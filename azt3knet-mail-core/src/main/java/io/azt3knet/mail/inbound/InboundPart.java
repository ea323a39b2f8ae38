package io.azt3knet.mail.inbound;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the flattened MIME tree of an inbound message, as the provider reported it.
 *
 * @param headers the part's headers
 * @param contentRef the key of its content in the payload ({@code Text-part}, {@code Attachment1}, ...);
 *     empty for container parts ({@code multipart/*})
 */
public record InboundPart(MessageHeaders headers, Optional<String> contentRef) {

    /** Validates that nothing is null. */
    public InboundPart {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(contentRef, "contentRef");
    }
}
