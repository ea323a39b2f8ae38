package io.azt3knet.mail.population;

import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.provisioning.MailboxDeletion;
import java.util.Objects;
import java.util.Optional;

/**
 * What retiring one agent (or removing one orphaned mailbox) did: {@link Retired}, {@link AlreadyRetired},
 * {@link WouldRetire} (a dry run) or {@link Failed}.
 */
public sealed interface RetireOutcome {

    /** @return the mailbox's address */
    MailboxAddress address();

    /** @return the agent's id; empty for an orphaned mailbox, which no manifest mentions */
    Optional<String> agentId();

    /** @return what happened, as an enum for reports and switches */
    Status status();

    /** @return whether the mailbox is gone (or, in a dry run, would be) */
    default boolean succeeded() {
        return !(this instanceof Failed);
    }

    /** What happened to one mailbox. */
    enum Status {
        /** The mailbox was deleted at the provider (or found gone) and the agent is retired now. */
        RETIRED,
        /** The agent was retired before and its mailbox is gone: nothing was done. */
        ALREADY_RETIRED,
        /** Dry run: the mailbox would be deleted and the agent retired. */
        WOULD_RETIRE,
        /** Deleting the mailbox failed; retrying is safe. */
        FAILED
    }

    /**
     * The mailbox was deleted, or found gone, and the agent is marked retired.
     *
     * @param address the address
     * @param agentId the agent's id, empty for an orphan
     * @param deletion what the provider did: {@code DELETED}, or {@code ABSENT} when the mailbox was gone already
     */
    record Retired(MailboxAddress address, Optional<String> agentId, MailboxDeletion.Outcome deletion)
            implements RetireOutcome {
        /** Validates that nothing is null. */
        public Retired {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(deletion, "deletion");
        }

        @Override
        public Status status() {
            return Status.RETIRED;
        }
    }

    /**
     * The agent was retired before and has no mailbox at the provider: a no-op.
     *
     * @param address the address
     * @param agentId the agent's id
     */
    record AlreadyRetired(MailboxAddress address, Optional<String> agentId) implements RetireOutcome {
        /** Validates that nothing is null. */
        public AlreadyRetired {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(agentId, "agentId");
        }

        @Override
        public Status status() {
            return Status.ALREADY_RETIRED;
        }
    }

    /**
     * Dry run: what a real run would do.
     *
     * @param address the address
     * @param agentId the agent's id, empty for an orphan
     * @param atProvider whether the provider has a mailbox to delete (else only the manifest would change)
     */
    record WouldRetire(MailboxAddress address, Optional<String> agentId, boolean atProvider) implements RetireOutcome {
        /** Validates that nothing is null. */
        public WouldRetire {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(agentId, "agentId");
        }

        @Override
        public Status status() {
            return Status.WOULD_RETIRE;
        }
    }

    /**
     * Deleting failed. The agent stays marked retired in the manifest (it was marked before the delete, so that an
     * apply never re-creates it); running the retirement again deletes what is left.
     *
     * @param address the address
     * @param agentId the agent's id, empty for an orphan
     * @param reason why; never contains a secret
     */
    record Failed(MailboxAddress address, Optional<String> agentId, String reason) implements RetireOutcome {
        /** Validates that nothing is null. */
        public Failed {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Status status() {
            return Status.FAILED;
        }
    }
}
