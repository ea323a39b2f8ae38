package io.azt3knet.mail.population;

import io.azt3knet.mail.internal.util.LogText;
import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.MailException;
import io.azt3knet.mail.ManifestException;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.naming.MailboxNamer;
import io.azt3knet.mail.naming.StandardMailboxNamer;
import io.azt3knet.mail.provisioning.Mailbox;
import io.azt3knet.mail.provisioning.MailboxDeletion;
import io.azt3knet.mail.provisioning.MailboxProvisioner;
import io.azt3knet.mail.provisioning.PopulationProvisioner;
import io.azt3knet.mail.provisioning.ProvisioningListener;
import io.azt3knet.mail.provisioning.ProvisioningReport;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of populations at one provider, for one domain: grow a manifest, plan, apply, retire, find and
 * remove orphans. {@link io.azt3knet.mail.MailAutomation} offers each operation; this class is where they live.
 *
 * <p>Every read of the provider is one listing of the domain ({@link MailboxProvisioner#refresh()} then
 * {@link MailboxProvisioner#listMailboxes(String)}), never one call per agent. Every write is recorded in the
 * manifest file before it is made at the provider (agents are added as {@code pending} before their mailboxes are
 * created, and marked {@code retired} before their mailboxes are deleted), so a killed run never leaves a mailbox
 * the manifest does not account for, and running the same command again finishes the job. Thread-safe.
 */
public final class PopulationLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(PopulationLifecycle.class);

    private final MailboxProvisioner provisioner;
    private final String domain;
    private final int concurrency;
    private final Clock clock;

    /**
     * @param provisioner the provider
     * @param domain the configured domain; manifests of other domains are refused
     * @param concurrency how many mailboxes are created or deleted at once (1..256)
     * @param clock the clock that stamps manifest changes
     */
    public PopulationLifecycle(MailboxProvisioner provisioner, String domain, int concurrency, Clock clock) {
        this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
        this.domain = MailboxAddress.requireDomain(domain.strip().toLowerCase(Locale.ROOT));
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("concurrency must be 1..256, got " + concurrency);
        }
        this.concurrency = concurrency;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Adds the agents the manifest does not hold yet (by id), named as the population's first run named them: the
     * standard namer with the manifest's seed and prefix, at the manifest's instant, avoiding every address
     * already in the manifest. New agents are {@code pending}. Agents the manifest holds keep their entries.
     *
     * @param manifest the population
     * @param agents the population as it should be, in order; each needs a stable id
     * @return the manifest with the new agents appended
     * @throws IllegalArgumentException if an agent has no id
     */
    public PopulationManifest extend(PopulationManifest manifest, List<AgentIdentity> agents) {
        MailboxNamer namer = StandardMailboxNamer.builder().domain(manifest.domain()).prefix(manifest.prefix())
                .seed(manifest.seed()).clock(Clock.fixed(manifest.instant(), ZoneOffset.UTC)).build();
        namer.reserve(manifest.agents().stream().map(ManifestAgent::address).toList());
        List<ManifestAgent> added = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (AgentIdentity agent : agents) {
            if (agent.stableId().isEmpty()) {
                throw new IllegalArgumentException("agents in a manifest need a stable id; '" + agent.displayName()
                        + "' has none");
            }
            if (!seen.add(agent.id())) {
                throw new IllegalArgumentException("agent id '" + agent.id() + "' appears twice");
            }
            if (!manifest.contains(agent)) {
                added.add(ManifestAgent.pending(agent, namer.name(agent), clock.instant()));
            }
        }
        return manifest.withAgents(added);
    }

    /**
     * What an apply would do, from one listing of the provider. Writes nothing.
     *
     * @param manifest the population
     * @return one planned action per agent
     * @throws ManifestException if the manifest is for another domain
     */
    public PopulationPlan plan(PopulationManifest manifest) {
        requireDomain(manifest);
        Map<String, Mailbox> existing = listing();
        Optional<URI> ours = provisioner.inboundUrl();
        List<PopulationPlan.PlannedAgent> planned = new ArrayList<>(manifest.agents().size());
        for (ManifestAgent a : manifest.agents()) {
            Mailbox m = existing.get(key(a.address()));
            planned.add(switch (a.state()) {
                case RETIRED -> new PopulationPlan.PlannedAgent(a, PopulationPlan.Action.RETIRED, m == null ? ""
                        : "its mailbox is still at the provider: retire it again to delete it");
                case PENDING -> m == null
                        ? new PopulationPlan.PlannedAgent(a, PopulationPlan.Action.CREATE, "no mailbox yet")
                        : present(a, m, ours);
                case ACTIVE -> m == null
                        ? new PopulationPlan.PlannedAgent(a, PopulationPlan.Action.REPAIR, "mailbox missing at the provider")
                        : present(a, m, ours);
            });
        }
        return new PopulationPlan(manifest.domain(), provisioner.providerName(), planned, existing.size());
    }

    private static PopulationPlan.PlannedAgent present(ManifestAgent a, Mailbox m, Optional<URI> ours) {
        if (ours.isPresent() && !ours.get().equals(m.routeUrl())) {
            return new PopulationPlan.PlannedAgent(a, PopulationPlan.Action.REPAIR, "its route points at "
                    + m.routeUrl() + ", not at " + ours.get());
        }
        return new PopulationPlan.PlannedAgent(a, PopulationPlan.Action.UNCHANGED, "");
    }

    /**
     * Applies a manifest: every agent that is not retired gets its mailbox, created when missing (pending agents,
     * and active ones whose mailbox was deleted behind the manifest's back) or repaired; nothing beyond the manifest
     * is created. Agents that succeed become {@code active} in the file; the file is flushed at the end, also when
     * the run fails.
     *
     * @param file the manifest file
     * @param listener sees every agent
     * @return one outcome per agent that is not retired, in manifest order
     * @throws ManifestException if the manifest is for another domain
     */
    public ProvisioningReport apply(ManifestFile file, ProvisioningListener listener) {
        Objects.requireNonNull(listener, "listener");
        PopulationManifest manifest = file.current();
        requireDomain(manifest);
        List<ManifestAgent> live = manifest.agents().stream().filter(a -> a.state() != ManifestAgent.State.RETIRED)
                .toList();
        Map<String, ManifestAgent> byId = new HashMap<>(live.size() * 2);
        live.forEach(a -> byId.put(a.id(), a));
        ProvisioningListener recording = (outcome, done, total) -> {
            ManifestAgent a = byId.get(outcome.agent().id());
            if (outcome.succeeded() && a != null && a.state() == ManifestAgent.State.PENDING) {
                file.record(a.withState(ManifestAgent.State.ACTIVE, clock.instant()));
            }
            listener.onAgent(outcome, done, total);
        };
        try {
            return new PopulationProvisioner(provisioner, concurrency).provision(
                    live.stream().map(ManifestAgent::identity).toList(), new RecordedNames(byId), manifest.domain(),
                    recording);
        } finally {
            file.flush();
        }
    }

    /**
     * Retires agents: marks them retired in the file (written before anything is deleted, so that no apply ever
     * re-creates them), then deletes each one's mailbox at the provider. Idempotent: an agent retired before whose
     * mailbox is gone is a no-op ({@link RetireOutcome.AlreadyRetired}); one whose mailbox is still there (a run
     * that stopped midway) has it deleted now. Mail already stored is not touched.
     *
     * @param file the manifest file
     * @param idsOrAddresses the agents, by id or address; empty for every agent of the manifest
     * @param dryRun report what would happen from one listing, and write nothing anywhere
     * @return one outcome per agent, in the order given (manifest order for all)
     * @throws ManifestException naming every id or address the manifest does not hold (nothing is done then), or if
     *     the manifest is for another domain
     */
    public RetirementReport retire(ManifestFile file, Collection<String> idsOrAddresses, boolean dryRun) {
        long start = System.nanoTime();
        PopulationManifest manifest = file.current();
        requireDomain(manifest);
        List<ManifestAgent> selected = select(file, manifest, idsOrAddresses);
        if (dryRun) {
            Map<String, Mailbox> existing = listing();
            List<RetireOutcome> outcomes = new ArrayList<>();
            for (ManifestAgent a : selected) {
                boolean there = existing.containsKey(key(a.address()));
                outcomes.add(a.state() == ManifestAgent.State.RETIRED && !there
                        ? new RetireOutcome.AlreadyRetired(a.address(), Optional.of(a.id()))
                        : new RetireOutcome.WouldRetire(a.address(), Optional.of(a.id()), there));
            }
            return new RetirementReport(outcomes, Duration.ofNanos(System.nanoTime() - start));
        }
        List<ManifestAgent> marking = selected.stream().filter(a -> a.state() != ManifestAgent.State.RETIRED)
                .map(a -> a.withState(ManifestAgent.State.RETIRED, clock.instant())).toList();
        file.replace(file.current().withAgents(marking));
        provisioner.refresh();
        List<RetireOutcome> outcomes = inParallel(selected, a -> {
            boolean wasRetired = a.state() == ManifestAgent.State.RETIRED;
            MailboxDeletion deletion = provisioner.deleteMailbox(a.address());
            return wasRetired && !deletion.deleted()
                    ? new RetireOutcome.AlreadyRetired(a.address(), Optional.of(a.id()))
                    : new RetireOutcome.Retired(a.address(), Optional.of(a.id()), deletion.outcome());
        }, ManifestAgent::address, a -> Optional.of(a.id()));
        return new RetirementReport(outcomes, Duration.ofNanos(System.nanoTime() - start));
    }

    private static List<ManifestAgent> select(ManifestFile file, PopulationManifest manifest,
            Collection<String> idsOrAddresses) {
        if (idsOrAddresses.isEmpty()) {
            return manifest.agents();
        }
        LinkedHashMap<String, ManifestAgent> selected = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String s : idsOrAddresses) {
            Optional<ManifestAgent> a = manifest.find(s);
            if (a.isPresent()) {
                selected.putIfAbsent(a.get().id(), a.get());
            } else {
                unknown.add(s);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ManifestException(file.path(), "no agent with id or address " + String.join(", ", unknown)
                    + "; nothing was retired");
        }
        return List.copyOf(selected.values());
    }

    /** @return every mailbox of the domain, from one listing of the provider */
    public List<Mailbox> mailboxes() {
        provisioner.refresh();
        return provisioner.listMailboxes(domain);
    }

    /**
     * Mailboxes on the domain whose route points at this deployment's inbound URL but that no given manifest
     * mentions, for example left behind by a run whose manifest was lost. Mailboxes whose route points anywhere else
     * belong to someone else and are never reported. One listing of the provider.
     *
     * @param manifests every manifest of this deployment's populations on the domain
     * @return the orphans, sorted by address
     * @throws ConfigurationException if the provisioner has no inbound URL to recognise this deployment's routes by
     */
    public List<Mailbox> orphans(Collection<PopulationManifest> manifests) {
        URI ours = provisioner.inboundUrl().orElseThrow(() -> new ConfigurationException("the mailbox provider has no"
                + " inbound URL configured: without it this deployment's mailboxes cannot be told from anyone else's"));
        return mailboxes().stream()
                .filter(m -> ours.equals(m.routeUrl()))
                .filter(m -> manifests.stream().noneMatch(p -> p.mentions(m.address())))
                .sorted(Comparator.comparing(m -> m.address().value()))
                .toList();
    }

    /**
     * Deletes orphaned mailboxes found by {@link #orphans(Collection)}, each only if its route (as just listed) still
     * points at this deployment's inbound URL.
     *
     * @param orphans the mailboxes
     * @param dryRun report only
     * @return one outcome per mailbox, in the given order
     */
    public RetirementReport removeOrphans(List<Mailbox> orphans, boolean dryRun) {
        long start = System.nanoTime();
        URI ours = provisioner.inboundUrl().orElseThrow(() -> new ConfigurationException("the mailbox provider has no"
                + " inbound URL configured: without it this deployment's mailboxes cannot be told from anyone else's"));
        for (Mailbox m : orphans) {
            if (!ours.equals(m.routeUrl())) {
                throw new IllegalArgumentException(m.address() + " routes to " + m.routeUrl()
                        + ", not to this deployment: it is not an orphan of ours");
            }
        }
        List<RetireOutcome> outcomes;
        if (dryRun) {
            outcomes = orphans.stream().<RetireOutcome>map(m -> new RetireOutcome.WouldRetire(m.address(),
                    Optional.empty(), true)).toList();
        } else {
            outcomes = inParallel(orphans, m -> new RetireOutcome.Retired(m.address(), Optional.empty(),
                    provisioner.deleteMailbox(m.address()).outcome()), Mailbox::address, m -> Optional.empty());
        }
        return new RetirementReport(outcomes, Duration.ofNanos(System.nanoTime() - start));
    }

    private Map<String, Mailbox> listing() {
        Map<String, Mailbox> byAddress = new HashMap<>();
        for (Mailbox m : mailboxes()) {
            byAddress.putIfAbsent(key(m.address()), m);
        }
        return byAddress;
    }

    private void requireDomain(PopulationManifest manifest) {
        if (!manifest.domain().equals(domain)) {
            throw new ManifestException("the manifest is for domain " + manifest.domain() + " but the configured domain"
                    + " is " + domain + "; use the configuration of that population");
        }
    }

    private <T> List<RetireOutcome> inParallel(List<T> items, Function<T, RetireOutcome> task,
            Function<T, MailboxAddress> address, Function<T, Optional<String>> agentId) {
        if (items.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, items.size()), r -> {
            Thread t = new Thread(r, "azt3knet-retire");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<RetireOutcome>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    try {
                        return task.apply(item);
                    } catch (MailException | IllegalArgumentException e) {
                        LOG.debug("retiring {} failed", LogText.escape(address.apply(item)), LogText.escaped(e));
                        return new RetireOutcome.Failed(address.apply(item), agentId.apply(item),
                                String.valueOf(e.getMessage()));
                    } catch (RuntimeException e) { // a bug or an unexpected answer: one mailbox fails, the rest go on
                        LOG.warn("retiring {} failed unexpectedly", LogText.escape(address.apply(item)), LogText.escaped(e));
                        return new RetireOutcome.Failed(address.apply(item), agentId.apply(item),
                                "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }));
            }
            List<RetireOutcome> outcomes = new ArrayList<>(items.size());
            for (Future<RetireOutcome> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("retiring interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("retiring failed unexpectedly", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static String key(MailboxAddress address) {
        return address.value().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "PopulationLifecycle[" + provisioner.providerName() + ", domain=" + domain + "]";
    }

    /** The addresses a manifest recorded, as a namer: apply never renames an agent. */
    private static final class RecordedNames implements MailboxNamer {
        private final Map<String, ManifestAgent> byId;

        RecordedNames(Map<String, ManifestAgent> byId) {
            this.byId = byId;
        }

        @Override
        public MailboxAddress name(AgentIdentity agent) {
            ManifestAgent a = byId.get(agent.id());
            if (a == null) {
                throw new IllegalArgumentException("agent '" + agent.id() + "' is not in the manifest");
            }
            return a.address();
        }

        @Override
        public void reserve(Collection<MailboxAddress> existing) {
            // the addresses are fixed by the manifest
        }
    }
}
