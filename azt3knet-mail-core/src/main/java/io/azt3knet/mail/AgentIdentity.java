package io.azt3knet.mail;

import java.util.Objects;
import java.util.Optional;

/**
 * Who an agent is, as far as naming its mailbox goes. Every component may be empty (meaning absent);
 * none is {@code null}. The namer sanitizes them, so any text is accepted here.
 *
 * @param firstName the legal first name, or empty
 * @param lastName the legal last name, or empty
 * @param usernameHint a username to fall back on when a name component is missing, or empty
 * @param id the agent's stable key within its population, or empty to use its position
 */
public record AgentIdentity(String firstName, String lastName, String usernameHint, String id) {

    /** Validates that no component is {@code null}. */
    public AgentIdentity {
        Objects.requireNonNull(firstName, "firstName");
        Objects.requireNonNull(lastName, "lastName");
        Objects.requireNonNull(usernameHint, "usernameHint");
        Objects.requireNonNull(id, "id");
    }

    /**
     * @param firstName the first name
     * @param lastName the last name
     * @return an identity with no username hint and no id
     */
    public static AgentIdentity of(String firstName, String lastName) {
        return new AgentIdentity(firstName, lastName, "", "");
    }

    /** @return the stable key, if the agent has one */
    public Optional<String> stableId() {
        return id.isBlank() ? Optional.empty() : Optional.of(id);
    }

    /**
     * @param newId the agent's stable key
     * @return a copy with that id
     */
    public AgentIdentity withId(String newId) {
        return new AgentIdentity(firstName, lastName, usernameHint, newId);
    }

    /**
     * @param hint the username hint
     * @return a copy with that username hint
     */
    public AgentIdentity withUsernameHint(String hint) {
        return new AgentIdentity(firstName, lastName, hint, id);
    }

    /** @return the display name, {@code "First Last"}, or the username hint, or empty */
    public String displayName() {
        String name = (firstName.strip() + " " + lastName.strip()).strip();
        return name.isEmpty() ? usernameHint.strip() : name;
    }
}
