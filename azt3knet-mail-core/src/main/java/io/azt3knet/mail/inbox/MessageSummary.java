package io.azt3knet.mail.inbox;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One stored message as {@link MessageStore#list} shows it, read from its headers only (the body is never
 * parsed for a summary). Header texts are decoded (RFC 2047) and unfolded.
 *
 * @param id the store's identifier of the message, stable while it is stored (for a Maildir: the file's
 *     unique name, without the flags); pass it to {@link MessageStore#get} and friends
 * @param mailbox the address whose mailbox holds the message, as the store knows it (empty when the store
 *     cannot tell, e.g. a shared Maildir file without {@code Delivered-To})
 * @param messageId the {@code Message-ID} header, angle brackets included, when present
 * @param from the {@code From} header, possibly empty
 * @param to the {@code To} header, possibly empty
 * @param subject the subject, possibly empty
 * @param date the {@code Date} header, or the delivery time when it is absent or unreadable
 * @param deliveredAt when the message was stored
 * @param seen whether it was marked seen
 * @param size the stored size in bytes
 */
public record MessageSummary(String id, String mailbox, Optional<String> messageId, String from, String to,
        String subject, Instant date, Instant deliveredAt, boolean seen, long size) {

    /** Validates that nothing is null and that the size is not negative. */
    public MessageSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(deliveredAt, "deliveredAt");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("id must not be empty");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
    }
}
