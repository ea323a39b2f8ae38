package io.azt3knet.mail.provisioning;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of a population run: one outcome per agent, in population order.
 *
 * @param outcomes one per agent, in input order
 * @param duration how long the run took
 * @param notStarted why the run could not start, when it could not (the provider's existing mailboxes could not be
 *     read: it is unreachable, refuses the credentials or its quota is spent); every agent is then
 *     {@link AgentOutcome.Status#NOT_ATTEMPTED} and nothing was named or created
 */
public record ProvisioningReport(List<AgentOutcome> outcomes, Duration duration, Optional<String> notStarted) {

    /** Validates that nothing is null. */
    public ProvisioningReport {
        outcomes = List.copyOf(outcomes);
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(notStarted, "notStarted");
    }

    /**
     * @param outcomes one per agent, in input order
     * @param duration how long the run took
     * @return the report of a run that started
     */
    public static ProvisioningReport of(List<AgentOutcome> outcomes, Duration duration) {
        return new ProvisioningReport(outcomes, duration, Optional.empty());
    }

    /** @return the number of agents per status */
    public Map<AgentOutcome.Status, Integer> counts() {
        Map<AgentOutcome.Status, Integer> counts = new EnumMap<>(AgentOutcome.Status.class);
        for (AgentOutcome.Status s : AgentOutcome.Status.values()) {
            counts.put(s, 0);
        }
        outcomes.forEach(o -> counts.merge(o.status(), 1, Integer::sum));
        return counts;
    }

    /** @return the failed agents */
    public List<AgentOutcome.Failed> failures() {
        return outcomes.stream().filter(AgentOutcome.Failed.class::isInstance).map(AgentOutcome.Failed.class::cast)
                .toList();
    }

    /** @return whether every agent has a mailbox */
    public boolean allSucceeded() {
        return outcomes.stream().allMatch(AgentOutcome::succeeded);
    }

    /**
     * @return e.g. {@code "200 agents in 5.2 s: 180 created, 20 already existed, 0 repaired, 0 failed"}, or for a run
     *     that could not start {@code "the run could not start: <why>; 200 agents not attempted"}
     */
    public String summary() {
        if (notStarted.isPresent()) {
            return "the run could not start: " + notStarted.get() + "; " + outcomes.size() + " agents not attempted";
        }
        Map<AgentOutcome.Status, Integer> c = counts();
        return String.format(java.util.Locale.ROOT, "%d agents in %.1f s: %d created, %d already existed, %d repaired, %d failed%s",
                outcomes.size(), duration.toMillis() / 1000.0, c.get(AgentOutcome.Status.CREATED),
                c.get(AgentOutcome.Status.ALREADY_EXISTED), c.get(AgentOutcome.Status.REPAIRED),
                c.get(AgentOutcome.Status.FAILED), c.get(AgentOutcome.Status.NOT_ATTEMPTED) == 0 ? ""
                        : ", " + c.get(AgentOutcome.Status.NOT_ATTEMPTED) + " not attempted");
    }
}
