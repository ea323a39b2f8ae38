package io.azt3knet.mail.naming;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.NamingExhaustedException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Turns agent identities into mailbox addresses, deterministically and without collisions within one
 * population. An instance names one population: it remembers every address it gave out (and every
 * address {@linkplain #reserve(Collection) reserved} up front) so that no two agents share one.
 * Implementations are thread-safe.
 *
 * <pre>{@code
 * MailboxNamer namer = MailboxNamer.standard().domain("agents.example.org").seed(42).build();
 * MailboxAddress address = namer.name(AgentIdentity.of("Jane", "Doe"));
 * // jane.doe.123.20241005123045@agents.example.org
 * }</pre>
 */
public interface MailboxNamer {

    /**
     * Names the next agent of the population. An agent without an id is keyed by its position: the
     * number of agents this namer named before it.
     *
     * @param agent the agent
     * @return its address, distinct from every address given out or reserved before
     * @throws NamingExhaustedException if every candidate for this name and second is taken
     */
    MailboxAddress name(AgentIdentity agent);

    /**
     * Names agents in order.
     *
     * @param agents the agents, in population order
     * @return their addresses, in the same order
     * @throws NamingExhaustedException if an agent cannot be named; earlier agents keep their names
     */
    default List<MailboxAddress> nameAll(List<AgentIdentity> agents) {
        List<MailboxAddress> out = new ArrayList<>(agents.size());
        for (AgentIdentity agent : agents) {
            out.add(name(agent));
        }
        return List.copyOf(out);
    }

    /**
     * Marks addresses that already exist (for example, mailboxes provisioned by an earlier run) so that
     * they are never given out again.
     *
     * @param existing addresses to avoid
     */
    void reserve(Collection<MailboxAddress> existing);

    /** @return a builder for the standard namer of the design's naming specification */
    static StandardMailboxNamer.Builder standard() {
        return StandardMailboxNamer.builder();
    }
}
