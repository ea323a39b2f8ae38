package io.azt3knet.mail.population;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailboxAddress;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One agent of a {@link PopulationManifest}: who it is, its address, and where its mailbox stands.
 *
 * @param id the agent's stable key in the population, not blank
 * @param firstName the first name, may be empty
 * @param lastName the last name, may be empty
 * @param username the username hint, may be empty
 * @param address the agent's mailbox address
 * @param state pending, active or retired
 * @param changedAt when the state last changed (or the agent was added)
 */
public record ManifestAgent(String id, String firstName, String lastName, String username, MailboxAddress address,
        State state, Instant changedAt) {

    /** Where an agent's mailbox stands. */
    public enum State {
        /**
         * Named and recorded before its mailbox was created: the mailbox may or may not exist yet (a run stopped
         * before confirming it). An apply creates it, or confirms it exists, and makes the agent active. Recording
         * agents before creating their mailboxes means a killed run never leaves a mailbox the manifest does not
         * mention.
         */
        PENDING,
        /** The mailbox was created (or found) at the provider. */
        ACTIVE,
        /** The agent was retired: its mailbox is deleted at the provider, and an apply never re-creates it. */
        RETIRED;

        /** @return the name in the JSON format: {@code pending}, {@code active} or {@code retired} */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * @param name a JSON name
         * @return the state
         * @throws IllegalArgumentException for an unknown name
         */
        public static State fromJson(String name) {
            for (State s : values()) {
                if (s.jsonName().equals(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown state '" + name + "', expected pending, active or retired");
        }
    }

    /** Validates that nothing is null and the id is not blank. */
    public ManifestAgent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(firstName, "firstName");
        Objects.requireNonNull(lastName, "lastName");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(changedAt, "changedAt");
        if (id.isBlank()) {
            throw new IllegalArgumentException("an agent in a manifest needs a stable id");
        }
    }

    /**
     * @param agent the agent, with a stable id
     * @param address its address
     * @param at now
     * @return the agent as recorded before its mailbox is created
     * @throws IllegalArgumentException if the agent has no id
     */
    public static ManifestAgent pending(AgentIdentity agent, MailboxAddress address, Instant at) {
        return new ManifestAgent(agent.id(), agent.firstName(), agent.lastName(), agent.usernameHint(), address,
                State.PENDING, at);
    }

    /** @return the agent's identity, as the namer and provisioner take it */
    public AgentIdentity identity() {
        return new AgentIdentity(firstName, lastName, username, id);
    }

    /**
     * @param newState the new state
     * @param at when it changed
     * @return a copy in that state; this same agent if the state does not change
     */
    public ManifestAgent withState(State newState, Instant at) {
        return newState == state ? this : new ManifestAgent(id, firstName, lastName, username, address, newState, at);
    }

    /**
     * @param idOrAddress an agent id or an address (compared case-insensitively)
     * @return whether it names this agent
     */
    public boolean matches(String idOrAddress) {
        String s = idOrAddress.strip();
        return id.equals(s) || address.value().equalsIgnoreCase(s);
    }
}
