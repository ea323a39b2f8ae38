package io.azt3knet.mail.inbox;

import io.azt3knet.mail.inbound.MessageHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stored message, opened: its summary, every top-level header, the text and HTML bodies, and the
 * attachments (streamed from the store on demand, see {@link StoredAttachment#openStream()}).
 *
 * @param summary what {@link MessageStore#list} shows of it
 * @param headers every top-level header as stored: unfolded, encoded words left as they are
 * @param text the plain-text body, when present
 * @param html the HTML body, when present
 * @param attachments the attachments and inline parts, in order
 */
public record StoredMessage(MessageSummary summary, MessageHeaders headers, Optional<String> text,
        Optional<String> html, List<StoredAttachment> attachments) {

    private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>\\s]+>");

    /** Validates that nothing is null; copies the list. */
    public StoredMessage {
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(html, "html");
        attachments = List.copyOf(attachments);
    }

    /** @return the store's identifier of the message, as {@link MessageSummary#id()} */
    public String id() {
        return summary.id();
    }

    /** @return the message this one answers ({@code In-Reply-To}, first id), when present */
    public Optional<String> inReplyTo() {
        return headers.first("In-Reply-To").flatMap(v -> messageIds(v).stream().findFirst());
    }

    /** @return the ids of the conversation's earlier messages ({@code References}), oldest first */
    public List<String> references() {
        return headers.first("References").map(StoredMessage::messageIds).orElse(List.of());
    }

    /**
     * @param headerValue a header value such as {@code References}
     * @return every {@code <id>} in it, in order
     */
    public static List<String> messageIds(String headerValue) {
        List<String> ids = new ArrayList<>();
        Matcher m = MESSAGE_ID.matcher(headerValue);
        while (m.find()) {
            ids.add(m.group());
        }
        return ids;
    }
}
