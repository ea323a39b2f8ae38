package io.azt3knet.mail.dns;

import java.util.Objects;

/**
 * What a dynamic DNS refresh did.
 *
 * @param update the update asked for
 * @param outcome whether the provider was told, or the update was skipped because nothing changed
 */
public record DynDnsOutcome(DynDnsUpdate update, Outcome outcome) {

    /** What happened. */
    public enum Outcome {
        /** The provider accepted the update. */
        UPDATED,
        /** The address had not changed since the last update; the provider was not called. */
        SKIPPED_UNCHANGED
    }

    /** Validates that nothing is null. */
    public DynDnsOutcome {
        Objects.requireNonNull(update, "update");
        Objects.requireNonNull(outcome, "outcome");
    }
}
