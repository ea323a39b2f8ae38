package io.azt3knet.mail.inbox;

import io.azt3knet.mail.MessageStoreException;

/**
 * A named {@link MessageListener} attached to a {@link MessageStore}, with a cursor persisted in the store:
 * every message stored after the cursor is delivered to it, in delivery order, on a thread of its own.
 * On start it first catches up with everything stored since the cursor (all stored messages for a new
 * name). A message is recorded as delivered once the listener returned normally, so the listener sees
 * every message at least once across crashes (a message being handled when the process died is delivered
 * again) and exactly once while nothing crashes. A message the listener threw on is offered again on the
 * next catch-up: {@link #replay()}, the periodic catch-up, or the next start.
 */
public interface Subscription extends AutoCloseable {

    /** @return the listener's name, which identifies its cursor */
    String name();

    /**
     * Delivers now everything stored since the cursor that was not delivered yet, including the messages the
     * listener threw on and those stored by other processes; returns once they were offered.
     *
     * @throws MessageStoreException if the store cannot be read
     * @throws IllegalStateException if the subscription is closed
     */
    void replay();

    /** Stops delivering, after the message in hand; the cursor is kept for the next subscription of this name. */
    @Override
    void close();
}
