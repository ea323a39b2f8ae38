package io.azt3knet.mail.provisioning;

import io.azt3knet.mail.MailboxAddress;
import java.util.Objects;

/**
 * The result of {@link MailboxProvisioner#deleteMailbox(MailboxAddress)}: {@link Deleted} or {@link Absent}.
 * Deleting is idempotent, so both mean the same for the caller: the mailbox does not exist at the provider now.
 */
public sealed interface MailboxDeletion {

    /** @return the address whose mailbox was deleted or found absent */
    MailboxAddress address();

    /** @return what {@code deleteMailbox} did, as an enum for reports and switches */
    Outcome outcome();

    /** @return whether this call deleted something */
    default boolean deleted() {
        return this instanceof Deleted;
    }

    /**
     * @param address the address
     * @return a mailbox that existed and was deleted
     */
    static MailboxDeletion deleted(MailboxAddress address) {
        return new Deleted(address);
    }

    /**
     * @param address the address
     * @return a mailbox that did not exist; nothing was written
     */
    static MailboxDeletion absent(MailboxAddress address) {
        return new Absent(address);
    }

    /** What {@code deleteMailbox} did. */
    enum Outcome {
        /** The mailbox existed and was deleted (every route of the address, and its per-agent key if any). */
        DELETED,
        /** There was no mailbox for the address; nothing was written. */
        ABSENT
    }

    /** @param address the address whose mailbox was deleted */
    record Deleted(MailboxAddress address) implements MailboxDeletion {
        /** Validates that nothing is null. */
        public Deleted {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public Outcome outcome() {
            return Outcome.DELETED;
        }
    }

    /** @param address the address that had no mailbox */
    record Absent(MailboxAddress address) implements MailboxDeletion {
        /** Validates that nothing is null. */
        public Absent {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public Outcome outcome() {
            return Outcome.ABSENT;
        }
    }
}
