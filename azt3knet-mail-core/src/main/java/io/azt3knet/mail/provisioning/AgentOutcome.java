package io.azt3knet.mail.provisioning;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailboxAddress;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What population provisioning did for one agent.
 *
 * @param index the agent's position in the population
 * @param agent the agent
 * @param status created, already existed, repaired or failed
 * @param address its address, unless naming failed
 * @param credentials its credentials, unless provisioning failed
 * @param reason why it failed (empty otherwise); never contains a secret
 */
public record AgentOutcome(int index, AgentIdentity agent, Status status, Optional<MailboxAddress> address,
        Optional<MailboxCredentials> credentials, String reason) {

    /** What happened to one agent. */
    public enum Status {
        /** The mailbox was created. */
        CREATED,
        /** The mailbox existed already; nothing was written. */
        ALREADY_EXISTED,
        /** The mailbox existed with a drifted route, which was corrected. */
        REPAIRED,
        /** Naming or provisioning failed; see the reason. Re-running the population retries it. */
        FAILED
    }

    /** Validates consistency. */
    public AgentOutcome {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(reason, "reason");
        if ((status == Status.FAILED) == credentials.isPresent()) {
            throw new IllegalArgumentException("credentials are present exactly when the agent did not fail");
        }
    }

    static AgentOutcome of(int index, AgentIdentity agent, MailboxCreation creation) {
        Status s = switch (creation.outcome()) {
            case CREATED -> Status.CREATED;
            case ALREADY_EXISTED -> Status.ALREADY_EXISTED;
            case REPAIRED -> Status.REPAIRED;
        };
        return new AgentOutcome(index, agent, s, Optional.of(creation.credentials().address()),
                Optional.of(creation.credentials()), "");
    }

    static AgentOutcome failed(int index, AgentIdentity agent, @Nullable MailboxAddress address, String reason) {
        return new AgentOutcome(index, agent, Status.FAILED, Optional.ofNullable(address), Optional.empty(), reason);
    }

    /** @return whether the agent has a working mailbox */
    public boolean succeeded() {
        return status != Status.FAILED;
    }
}
