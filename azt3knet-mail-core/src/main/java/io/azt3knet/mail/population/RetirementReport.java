package io.azt3knet.mail.population;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One outcome per retired agent or removed orphan, in the order asked for.
 *
 * @param outcomes the outcomes
 * @param duration how long the run took
 */
public record RetirementReport(List<RetireOutcome> outcomes, Duration duration) {

    /** Validates that nothing is null. */
    public RetirementReport {
        outcomes = List.copyOf(outcomes);
        Objects.requireNonNull(duration, "duration");
    }

    /** @return how many outcomes have each status (every status present, zero included) */
    public Map<RetireOutcome.Status, Integer> counts() {
        Map<RetireOutcome.Status, Integer> counts = new EnumMap<>(RetireOutcome.Status.class);
        for (RetireOutcome.Status s : RetireOutcome.Status.values()) {
            counts.put(s, 0);
        }
        outcomes.forEach(o -> counts.merge(o.status(), 1, Integer::sum));
        return counts;
    }

    /** @return the failures */
    public List<RetireOutcome.Failed> failures() {
        return outcomes.stream().filter(RetireOutcome.Failed.class::isInstance).map(RetireOutcome.Failed.class::cast)
                .toList();
    }

    /** @return whether every mailbox is gone (or would be) */
    public boolean allSucceeded() {
        return outcomes.stream().allMatch(RetireOutcome::succeeded);
    }

    /** @return e.g. {@code "3 mailboxes in 0.4 s: 2 retired, 1 already retired, 0 failed"} */
    public String summary() {
        Map<RetireOutcome.Status, Integer> c = counts();
        String dry = c.get(RetireOutcome.Status.WOULD_RETIRE) == 0 ? ""
                : ", " + c.get(RetireOutcome.Status.WOULD_RETIRE) + " would be retired (dry run)";
        return String.format(Locale.ROOT, "%d mailboxes in %.1f s: %d retired, %d already retired, %d failed%s",
                outcomes.size(), duration.toMillis() / 1000.0, c.get(RetireOutcome.Status.RETIRED),
                c.get(RetireOutcome.Status.ALREADY_RETIRED), c.get(RetireOutcome.Status.FAILED), dry);
    }
}
