package io.azt3knet.mail.bootstrap;

import java.time.Duration;
import java.util.Objects;

/**
 * One step of a domain bootstrap.
 *
 * @param name the step, e.g. {@code "plan DNS"}
 * @param status how it ended
 * @param detail what it did or why it failed; never a secret
 * @param duration how long it took
 */
public record BootstrapStep(String name, Status status, String detail, Duration duration) {

    /** How a step ended. */
    public enum Status {
        /** Done. */
        OK,
        /** Not needed or not asked for (dry run, nothing changed, an earlier step failed). */
        SKIPPED,
        /** Waiting on the outside world (DNS propagation); run again later. */
        PENDING,
        /** Failed; see the detail. */
        FAILED
    }

    /** Validates that nothing is null. */
    public BootstrapStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(duration, "duration");
    }
}
