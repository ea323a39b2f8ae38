package io.azt3knet.mail.dns;

import java.util.Objects;

/**
 * What a dynamic DNS refresh did.
 *
 * @param update the update asked for
 * @param action whether the provider was told, or the update was skipped because nothing changed
 */
public record DynDnsOutcome(DynDnsUpdate update, Action action) {

    /** What happened. */
    public enum Action {
        /** The provider accepted the update. */
        UPDATED,
        /** The address had not changed since the last update; the provider was not called. */
        SKIPPED_UNCHANGED,
        /** A dry run found the address changed; the provider was not told. */
        PLANNED
    }

    /** Validates that nothing is null. */
    public DynDnsOutcome {
        Objects.requireNonNull(update, "update");
        Objects.requireNonNull(action, "action");
    }
}
