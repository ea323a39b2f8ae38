package io.azt3knet.mail.inbound;

import io.azt3knet.mail.inbound.maildir.MaildirSink;

import java.io.IOException;

/**
 * Where accepted inbound messages go. The webhook answers the provider with 2xx only after
 * {@link #accept} returned, so an implementation must return only once the message is durable (written
 * and flushed to disk, committed to a database, acknowledged by a broker), and must throw when it is not.
 *
 * <p>Implementations are thread-safe and idempotent per {@link DeliveryKey}: a second delivery with the
 * same key, even after a restart and even concurrently with the first, is reported as
 * {@link Result#DUPLICATE} and not stored again. A sink may in addition compare the content and store a
 * delivery whose key is known but whose content differs (a mailer reusing a {@code Message-ID}): that is
 * what {@link MaildirSink} does, so that no message is discarded. {@link MaildirSink} is the standard
 * implementation; plug
 * your own to feed another system, for example:
 *
 * <pre>{@code
 * InboundSink toEvents = (message, key) -> {
 *     boolean inserted = eventStore.insertIfAbsent(key.value(), message); // commits before returning
 *     return inserted ? InboundSink.Result.STORED : InboundSink.Result.DUPLICATE;
 * };
 * }</pre>
 */
@FunctionalInterface
public interface InboundSink {

    /** What became of a delivery. */
    enum Result {
        /** The message is now stored durably. */
        STORED,
        /** A delivery with the same key was stored before; nothing was written. */
        DUPLICATE
    }

    /**
     * Stores a message durably, once per key.
     *
     * @param message the parsed message
     * @param key the delivery's identity, for recognising redeliveries
     * @return whether it was stored now or had been before
     * @throws IOException if the message could not be stored; the webhook then answers 5xx so that the
     *     provider delivers it again
     * @throws io.azt3knet.mail.InboundRejectedException if the message can never be stored (for example its
     *     recipient is not a valid address); the webhook answers with the reason's 4xx status
     */
    Result accept(InboundMessage message, DeliveryKey key) throws IOException;
}
