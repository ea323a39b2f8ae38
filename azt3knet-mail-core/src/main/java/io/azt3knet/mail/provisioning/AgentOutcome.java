package io.azt3knet.mail.provisioning;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailboxAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What population provisioning did for one agent: {@link Provisioned} (created, already existed or repaired)
 * or {@link Failed}. Never contains a secret beyond the credentials themselves, whose {@code toString} masks
 * the password.
 */
public sealed interface AgentOutcome {

    /** @return the agent's position in the population */
    int index();

    /** @return the agent */
    AgentIdentity agent();

    /** @return the agent's address, unless naming failed */
    Optional<MailboxAddress> address();

    /** @return the agent's credentials, unless provisioning failed */
    Optional<MailboxCredentials> credentials();

    /** @return what happened, as an enum for reports and switches */
    Status status();

    /** @return whether the agent has a working mailbox */
    default boolean succeeded() {
        return this instanceof Provisioned;
    }

    /** What happened to one agent. */
    enum Status {
        /** The mailbox was created. */
        CREATED,
        /** The mailbox existed already; nothing was written. */
        ALREADY_EXISTED,
        /** The mailbox existed with a drifted route, which was corrected. */
        REPAIRED,
        /** Naming or provisioning failed; see the reason. Re-running the population retries it. */
        FAILED,
        /** The run stopped before this agent was tried (for example: the provider's quota was exhausted). */
        NOT_ATTEMPTED
    }

    /**
     * The agent has a working mailbox.
     *
     * @param index the agent's position in the population
     * @param agent the agent
     * @param creation what the provisioner did
     */
    record Provisioned(int index, AgentIdentity agent, MailboxCreation creation) implements AgentOutcome {
        /** Validates that nothing is null. */
        public Provisioned {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(creation, "creation");
        }

        @Override
        public Optional<MailboxAddress> address() {
            return Optional.of(creation.credentials().address());
        }

        @Override
        public Optional<MailboxCredentials> credentials() {
            return Optional.of(creation.credentials());
        }

        @Override
        public Status status() {
            return switch (creation.outcome()) {
                case CREATED -> Status.CREATED;
                case ALREADY_EXISTED -> Status.ALREADY_EXISTED;
                case REPAIRED -> Status.REPAIRED;
            };
        }
    }

    /**
     * Naming or provisioning failed, or the run stopped before the agent was tried.
     *
     * @param index the agent's position in the population
     * @param agent the agent
     * @param address its address, unless naming failed
     * @param reason why; never contains a secret
     * @param attempted {@code false} when the run stopped before this agent was tried
     */
    record Failed(int index, AgentIdentity agent, Optional<MailboxAddress> address, String reason, boolean attempted)
            implements AgentOutcome {
        /** Validates that nothing is null. */
        public Failed {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Optional<MailboxCredentials> credentials() {
            return Optional.empty();
        }

        @Override
        public Status status() {
            return attempted ? Status.FAILED : Status.NOT_ATTEMPTED;
        }
    }
}
