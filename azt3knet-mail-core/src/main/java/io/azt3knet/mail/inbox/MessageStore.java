package io.azt3knet.mail.inbox;

import io.azt3knet.mail.MessageStoreException;
import io.azt3knet.mail.MessageWaitTimeoutException;
import io.azt3knet.mail.MailboxAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The agents' stored mail, read back: the provider-neutral read side of the inbound pipeline.
 * {@link io.azt3knet.mail.inbound.maildir.MaildirMessageStore} implements it over the Maildirs written by
 * {@link io.azt3knet.mail.inbound.maildir.MaildirSink}. Thread-safe: any number of readers may work on a
 * mailbox while the webhook writes to it, also from other processes, and none ever sees a partial message.
 *
 * <pre>{@code
 * try (MessageStore inbox = MaildirMessageStore.builder(Path.of("/var/mail/agents")).build();
 *         MailService mail = MailService.forAgent(credentials)) {      // the agent's, from provisioning
 *     MailboxAddress me = credentials.address();
 *     StoredMessage reply = inbox.waitFor(me, MessageMatch.any().withSubjectContains("Re:"), Duration.ofSeconds(30));
 *     mail.send(OutgoingMessage.replyTo(reply).text("Thanks!").build());
 * }
 * }</pre>
 */
public interface MessageStore extends AutoCloseable {

    /**
     * @param address the mailbox
     * @param query filters and page
     * @return the matching messages' summaries, newest delivery first; empty for an unknown mailbox
     * @throws MessageStoreException if the mailbox cannot be read
     */
    List<MessageSummary> list(MailboxAddress address, MessageQuery query);

    /**
     * Opens a message, without marking it seen.
     *
     * @param address the mailbox
     * @param id the message's {@link MessageSummary#id()}
     * @return the message, or empty when there is no such message (never was, or deleted)
     * @throws MessageStoreException if it exists but cannot be read
     */
    Optional<StoredMessage> get(MailboxAddress address, String id);

    /**
     * @param address the mailbox
     * @param id the message's id
     * @return {@code false} when there is no such message; {@code true} once it is marked seen (also when it
     *     was already)
     * @throws MessageStoreException if the mark cannot be written
     */
    boolean markSeen(MailboxAddress address, String id);

    /**
     * @param address the mailbox
     * @param id the message's id
     * @return whether a message was deleted ({@code false}: there was none)
     * @throws MessageStoreException if it cannot be deleted
     */
    boolean delete(MailboxAddress address, String id);

    /**
     * Returns the oldest unseen message matching {@code match}, already stored or arriving within the timeout,
     * and marks it seen, so that successive calls return successive messages and two concurrent callers
     * never get the same one. The store is checked again as soon as a message is stored (at once by a writer
     * in this process, within half a second by another process) and once more when the timeout ends.
     *
     * @param address the mailbox (it need not exist yet)
     * @param match what the message must look like
     * @param timeout how long to wait, zero to look only once
     * @return the message, marked seen
     * @throws MessageWaitTimeoutException if none arrived within the timeout
     * @throws MessageStoreException if the mailbox cannot be read
     */
    StoredMessage waitFor(MailboxAddress address, MessageMatch match, Duration timeout);

    /**
     * As {@link #waitFor}, but leaves the message unseen: a later wait or peek returns it again.
     *
     * @param address the mailbox
     * @param match what the message must look like
     * @param timeout how long to wait, zero to look only once
     * @return the message, still unseen
     * @throws MessageWaitTimeoutException if none arrived within the timeout
     * @throws MessageStoreException if the mailbox cannot be read
     */
    StoredMessage peekFor(MailboxAddress address, MessageMatch match, Duration timeout);

    /**
     * The conversation a message belongs to: every message of the mailbox linked to it through
     * {@code Message-ID}, {@code In-Reply-To} and {@code References}, directly or through other messages
     * (a simplified JWZ threading; subjects are not compared).
     *
     * @param address the mailbox
     * @param id the id of any message of the conversation
     * @return the conversation, oldest first, including that message; empty when there is no such message
     * @throws MessageStoreException if the mailbox cannot be read
     */
    List<MessageSummary> thread(MailboxAddress address, String id);

    /**
     * Deletes the messages delivered before {@code now - olderThan}, in one mailbox or in all.
     *
     * @param olderThan the age beyond which messages go, not negative
     * @param address the mailbox, or empty for every mailbox of the store
     * @param dryRun {@code true} to only report what would be deleted
     * @return the messages deleted (or, on a dry run, that would be), oldest first
     * @throws MessageStoreException if a mailbox cannot be read or a message cannot be deleted
     */
    List<MessageSummary> prune(Duration olderThan, Optional<MailboxAddress> address, boolean dryRun);

    /**
     * Attaches a named listener: it catches up with every message stored since its persisted cursor, then
     * hears of each new one, see {@link Subscription}. One subscription per name at a time.
     *
     * @param name the listener's name, which keys its cursor: 1 to 64 of {@code [A-Za-z0-9._-]}, not starting
     *     with a dot
     * @param listener told about each message
     * @return the running subscription; close it to stop
     * @throws IllegalArgumentException if the name is malformed
     * @throws IllegalStateException if a subscription of that name is open on this store
     * @throws MessageStoreException if the cursor cannot be read
     */
    Subscription subscribe(String name, MessageListener listener);

    /** Stops the subscriptions and releases file watches. */
    @Override
    void close();
}
