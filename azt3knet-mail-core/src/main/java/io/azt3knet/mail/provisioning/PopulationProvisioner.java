package io.azt3knet.mail.provisioning;

import io.azt3knet.mail.internal.util.LogText;
import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailException;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.ProviderException;
import io.azt3knet.mail.QuotaExhaustedException;
import io.azt3knet.mail.naming.MailboxNamer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names and provisions a population: every agent is named in population order (so that names are
 * deterministic), then mailboxes are created with bounded concurrency. Pacing and back-off on throttling
 * live in the provisioner's HTTP client, so that a batch runs close to the provider's rate limit and a 429
 * slows it down instead of failing agents. A failure is recorded for its agent and the others go on, with one
 * exception: when the provider's quota is exhausted ({@link QuotaExhaustedException}: its throttle budget is spent
 * for the whole run, or it asked for a wait beyond the maximum), the run stops. Agents already under way finish,
 * and every agent not started yet is reported {@link AgentOutcome.Status#NOT_ATTEMPTED} with the time the quota is
 * expected back.
 *
 * <p>The run starts by reading what exists at the provider. If that read fails (the provider is unreachable,
 * refuses the credentials, or its quota is spent), nothing is named or created: the report says the run could not
 * start and why ({@link ProvisioningReport#notStarted()}: the provider's error, whose transport errors name the
 * provider's host and port), and every agent is not attempted; run it again when the provider answers.
 *
 * <p>Re-running the same population (same namer seed and clock instant) creates nothing new: the
 * provisioner's {@code createMailbox} is idempotent, and its knowledge of existing mailboxes is read once
 * per run ({@link MailboxProvisioner#refresh()} at the start), not once per agent. A run that crashed
 * midway is repaired by running it again.
 */
public final class PopulationProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(PopulationProvisioner.class);

    private final MailboxProvisioner provisioner;
    private final int concurrency;

    /**
     * @param provisioner where mailboxes are created
     * @param concurrency how many mailboxes are created at once (1..256)
     */
    public PopulationProvisioner(MailboxProvisioner provisioner, int concurrency) {
        this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("concurrency must be 1..256, got " + concurrency);
        }
        this.concurrency = concurrency;
    }

    /**
     * @param agents the population, in order
     * @param namer names the agents (one namer per population)
     * @param domain the mail domain the namer names in (for reading existing mailboxes once)
     * @param listener sees every agent
     * @return one outcome per agent, in input order; for a run that could not start, every agent not attempted
     *     and {@link ProvisioningReport#notStarted()} saying why
     */
    public ProvisioningReport provision(List<AgentIdentity> agents, MailboxNamer namer, String domain,
            ProvisioningListener listener) {
        Objects.requireNonNull(listener, "listener");
        long start = System.nanoTime();
        int total = agents.size();
        AgentOutcome[] outcomes = new AgentOutcome[total];
        int[] done = {0};
        Object progressLock = new Object();
        AtomicReference<QuotaExhaustedException> stoppedBy = new AtomicReference<>();

        try {
            provisioner.refresh();
            provisioner.listMailboxes(domain); // one read of what exists, for the whole batch
        } catch (ProviderException e) {
            LOG.warn("the run could not start: {}", LogText.escape(e.getMessage()));
            String why = String.valueOf(e.getMessage());
            for (int i = 0; i < total; i++) {
                record(outcomes, i, new AgentOutcome.Failed(i, agents.get(i), Optional.empty(),
                        "the run could not start: " + why, false), done, total, listener, progressLock);
            }
            return new ProvisioningReport(Arrays.asList(outcomes), Duration.ofNanos(System.nanoTime() - start),
                    Optional.of(why));
        }

        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, Math.max(total, 1)), r -> {
            Thread t = new Thread(r, "azt3knet-provision");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                int index = i;
                AgentIdentity agent = agents.get(i);
                MailboxAddress address;
                try {
                    address = namer.name(agent);
                } catch (MailException | IllegalArgumentException e) {
                    record(outcomes, index, new AgentOutcome.Failed(index, agent, Optional.empty(), "naming failed: " + e.getMessage(), true),
                            done, total, listener, progressLock);
                    continue;
                }
                futures.add(pool.submit(() -> record(outcomes, index, createOne(index, agent, address, stoppedBy), done,
                        total, listener, progressLock)));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("population provisioning interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("population provisioning failed unexpectedly", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return ProvisioningReport.of(Arrays.asList(outcomes), Duration.ofNanos(System.nanoTime() - start));
    }

    private AgentOutcome createOne(int index, AgentIdentity agent, MailboxAddress address,
            AtomicReference<QuotaExhaustedException> stoppedBy) {
        QuotaExhaustedException stop = stoppedBy.get();
        if (stop != null) {
            return new AgentOutcome.Failed(index, agent, Optional.of(address), notAttempted(stop), false);
        }
        try {
            return new AgentOutcome.Provisioned(index, agent, provisioner.createMailbox(
                    new MailboxRequest(address, agent.displayName().replaceAll("\\p{Cntrl}", " ").strip())));
        } catch (QuotaExhaustedException e) {
            if (stoppedBy.compareAndSet(null, e)) {
                LOG.warn("{}; the run stops, agents not started yet are not attempted", LogText.escape(e.getMessage()));
            }
            return new AgentOutcome.Failed(index, agent, Optional.of(address), String.valueOf(e.getMessage()), true);
        } catch (MailException | IllegalArgumentException e) {
            LOG.debug("provisioning {} failed", LogText.escape(address), LogText.escaped(e));
            return new AgentOutcome.Failed(index, agent, Optional.of(address), String.valueOf(e.getMessage()), true);
        } catch (RuntimeException e) { // a bug or an unexpected answer: one agent fails, the run goes on
            LOG.warn("provisioning {} failed unexpectedly", LogText.escape(address), LogText.escaped(e));
            return new AgentOutcome.Failed(index, agent, Optional.of(address), "unexpected " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), true);
        }
    }

    /** @return the reason given for an agent the run did not try, starting with {@code "quota exhausted until "} */
    private static String notAttempted(QuotaExhaustedException stop) {
        return "quota exhausted until " + stop.availableAt() + " (" + stop.provider()
                + "); not attempted: run the same population again after that time";
    }

    private static void record(AgentOutcome[] outcomes, int index, AgentOutcome outcome, int[] done, int total,
            ProvisioningListener listener, Object lock) {
        synchronized (lock) {
            outcomes[index] = outcome;
            done[0]++;
            try {
                listener.onAgent(outcome, done[0], total);
            } catch (RuntimeException e) { // the caller's listener must not cost an agent its outcome
                LOG.warn("progress listener failed on agent {}", index, LogText.escaped(e));
            }
        }
    }

    @Override
    public String toString() {
        return "PopulationProvisioner[" + provisioner.providerName() + ", concurrency=" + concurrency + "]";
    }

}
