package io.azt3knet.mail.population;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What applying a manifest would do, agent by agent, computed from one listing of the provider
 * ({@code MailAutomation.plan}). Nothing is written to compute it.
 *
 * @param domain the population's domain
 * @param provider the provider that was listed
 * @param agents one entry per agent of the manifest, in manifest order
 * @param mailboxesListed how many mailboxes the provider listed on the domain
 */
public record PopulationPlan(String domain, String provider, List<PlannedAgent> agents, int mailboxesListed) {

    /** What an apply does for one agent. */
    public enum Action {
        /** The agent is pending and has no mailbox yet: it is created. */
        CREATE,
        /** The agent is active but its mailbox is missing, or its route points elsewhere: it is repaired. */
        REPAIR,
        /** The mailbox exists as it should: nothing is written (a pending agent is only marked active). */
        UNCHANGED,
        /** The agent is retired: an apply never touches it. */
        RETIRED
    }

    /**
     * One agent's line of the plan.
     *
     * @param agent the agent as the manifest records it
     * @param action what an apply does
     * @param reason why, for {@link Action#CREATE}, {@link Action#REPAIR} and a retired agent whose mailbox is still
     *     at the provider; empty otherwise
     */
    public record PlannedAgent(ManifestAgent agent, Action action, String reason) {
        /** Validates that nothing is null. */
        public PlannedAgent {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Validates that nothing is null. */
    public PopulationPlan {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(provider, "provider");
        agents = List.copyOf(agents);
    }

    /** @return how many agents get each action (every action present, zero included) */
    public Map<Action, Integer> counts() {
        Map<Action, Integer> counts = new EnumMap<>(Action.class);
        for (Action a : Action.values()) {
            counts.put(a, 0);
        }
        agents.forEach(p -> counts.merge(p.action(), 1, Integer::sum));
        return counts;
    }

    /**
     * @param action an action
     * @return the agents that get it, in manifest order
     */
    public List<PlannedAgent> agents(Action action) {
        return agents.stream().filter(p -> p.action() == action).toList();
    }

    /** @return whether an apply would write anything at the provider */
    public boolean changesAnything() {
        return agents.stream().anyMatch(p -> p.action() == Action.CREATE || p.action() == Action.REPAIR);
    }

    /** @return e.g. {@code "10000 agents: 0 to create, 3 to repair, 9997 unchanged, 0 retired"} */
    public String summary() {
        Map<Action, Integer> c = counts();
        return String.format(Locale.ROOT, "%d agents: %d to create, %d to repair, %d unchanged, %d retired",
                agents.size(), c.get(Action.CREATE), c.get(Action.REPAIR), c.get(Action.UNCHANGED),
                c.get(Action.RETIRED));
    }
}
