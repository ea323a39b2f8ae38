package io.azt3knet.mail.inbox;

/**
 * Told about each stored message, after it is durable, by a {@link MessageStore#subscribe subscription}.
 * Called on the subscription's own thread, one message at a time, never for a redelivery the webhook
 * recognised. A listener that throws is not the webhook's problem (the message is already safe): the
 * message stays behind the listener's cursor and is offered again later, see {@link Subscription}.
 */
@FunctionalInterface
public interface MessageListener {

    /**
     * @param message the stored message
     * @throws Exception to have the message offered again later
     */
    void onMessage(StoredMessage message) throws Exception;
}
