package io.azt3knet.mail.provisioning;

import java.util.Objects;

/**
 * The result of {@link MailboxProvisioner#createMailbox(MailboxRequest)}: one of {@link Created},
 * {@link AlreadyExisted} or {@link Repaired}, each carrying the mailbox's credentials.
 */
public sealed interface MailboxCreation {

    /** @return the mailbox's credentials */
    MailboxCredentials credentials();

    /** @return what {@code createMailbox} did, as an enum for reports and switches */
    Outcome outcome();

    /** @return whether this call created the mailbox */
    default boolean created() {
        return this instanceof Created;
    }

    /**
     * @param credentials the mailbox's credentials
     * @return a mailbox that did not exist and was created
     */
    static MailboxCreation created(MailboxCredentials credentials) {
        return new Created(credentials);
    }

    /**
     * @param credentials the mailbox's credentials
     * @return a mailbox that existed as requested; nothing was written
     */
    static MailboxCreation alreadyExisted(MailboxCredentials credentials) {
        return new AlreadyExisted(credentials);
    }

    /**
     * @param credentials the mailbox's credentials
     * @return a mailbox that existed with a drifted route, which was corrected
     */
    static MailboxCreation repaired(MailboxCredentials credentials) {
        return new Repaired(credentials);
    }

    /** What {@code createMailbox} did. */
    enum Outcome {
        /** The mailbox did not exist and was created. */
        CREATED,
        /** The mailbox existed as requested; nothing was written. */
        ALREADY_EXISTED,
        /** The mailbox existed but its route pointed elsewhere; the route was corrected. */
        REPAIRED
    }

    /** @param credentials the new mailbox's credentials */
    record Created(MailboxCredentials credentials) implements MailboxCreation {
        /** Validates that nothing is null. */
        public Created {
            Objects.requireNonNull(credentials, "credentials");
        }

        @Override
        public Outcome outcome() {
            return Outcome.CREATED;
        }
    }

    /** @param credentials the existing mailbox's credentials */
    record AlreadyExisted(MailboxCredentials credentials) implements MailboxCreation {
        /** Validates that nothing is null. */
        public AlreadyExisted {
            Objects.requireNonNull(credentials, "credentials");
        }

        @Override
        public Outcome outcome() {
            return Outcome.ALREADY_EXISTED;
        }
    }

    /** @param credentials the repaired mailbox's credentials */
    record Repaired(MailboxCredentials credentials) implements MailboxCreation {
        /** Validates that nothing is null. */
        public Repaired {
            Objects.requireNonNull(credentials, "credentials");
        }

        @Override
        public Outcome outcome() {
            return Outcome.REPAIRED;
        }
    }
}
