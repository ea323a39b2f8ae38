package io.azt3knet.mail.provisioning;

import java.util.Objects;

/**
 * The result of {@link MailboxProvisioner#createMailbox(MailboxRequest)}.
 *
 * @param credentials the mailbox's credentials
 * @param outcome whether it was created, already existed, or existed and was repaired
 */
public record MailboxCreation(MailboxCredentials credentials, Outcome outcome) {

    /** What {@code createMailbox} did. */
    public enum Outcome {
        /** The mailbox did not exist and was created. */
        CREATED,
        /** The mailbox existed as requested; nothing was written. */
        ALREADY_EXISTED,
        /** The mailbox existed but its route pointed elsewhere; the route was corrected. */
        REPAIRED
    }

    /** Validates that nothing is null. */
    public MailboxCreation {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** @return whether this call created the mailbox */
    public boolean created() {
        return outcome == Outcome.CREATED;
    }
}
