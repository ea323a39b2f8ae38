package io.azt3knet.mail;

import io.azt3knet.mail.bootstrap.BootstrapOptions;
import io.azt3knet.mail.bootstrap.DomainBootstrap;
import io.azt3knet.mail.bootstrap.DomainReport;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.config.ProvisioningSettings;
import io.azt3knet.mail.config.SettingsReader;
import io.azt3knet.mail.dns.DnsManager;
import io.azt3knet.mail.naming.MailboxNamer;
import io.azt3knet.mail.naming.StandardMailboxNamer;
import io.azt3knet.mail.population.ManifestFile;
import io.azt3knet.mail.population.PopulationLifecycle;
import io.azt3knet.mail.population.PopulationManifest;
import io.azt3knet.mail.population.PopulationPlan;
import io.azt3knet.mail.population.RetirementReport;
import io.azt3knet.mail.provisioning.Mailbox;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.MailboxProvisioner;
import io.azt3knet.mail.provisioning.PopulationProvisioner;
import io.azt3knet.mail.provisioning.ProvisioningListener;
import io.azt3knet.mail.provisioning.ProvisioningReport;
import io.azt3knet.mail.send.MailService;
import io.azt3knet.mail.spi.DnsManagerFactory;
import io.azt3knet.mail.spi.MailboxProvisionerFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The single entry point: wires a mailbox provisioner, optionally a DNS manager, and the mail
 * service; runs the long operations (domain bootstrap, population provisioning) with a report of every step or
 * agent.
 *
 * <pre>{@code
 * try (MailAutomation mail = MailAutomation.builder()
 *         .settings(ProvisioningSettings.of("agents.example.org"))
 *         .provisioner(MailjetProvisioner.builder(mailjetSettings).build())
 *         .dnsManager(DesecDnsManager.builder(desecSettings).build())
 *         .build()) {
 *     DomainReport domain = mail.bootstrapDomain(BootstrapOptions.defaults());
 *     ProvisioningReport report = mail.provision(agents, 42, Instant.parse("2024-10-05T12:30:45Z"), listener);
 * }
 * }</pre>
 *
 * Or from configuration alone, with the provider modules found on the classpath:
 * {@code MailAutomation.fromConfiguration(ConfigSource.standard())}. Thread-safe; closing it closes the
 * provisioner and the DNS manager.
 *
 * <h2>Re-runs</h2>
 * An address is a function of the population seed, the agent (its id, or its position) and the population
 * instant. A run names with a fresh namer for that seed and instant, so running the same population again with
 * the same seed and instant gives every agent the address it had, finds the mailbox that exists, and creates
 * nothing new; a run that crashed midway is repaired by running it again. Keep the seed and the instant with the
 * population (the command line writes them into the population manifest); a new instant is a new population.
 * There is deliberately no overload that picks them for you: a seed of 0 and the system clock would give every
 * agent a new mailbox on every run.
 */
public final class MailAutomation implements AutoCloseable {

    /** Core names no provider: a provider module registers itself through the SPI. */
    static final String NO_PROVISIONER = "no mailbox provider module on the classpath: add one that registers a "
            + MailboxProvisionerFactory.class.getName() + " (see README, Modules), or pass a provisioner to "
            + "MailAutomation.builder().provisioner(...)";

    private final ProvisioningSettings settings;
    private final MailboxProvisioner provisioner;
    private final @Nullable DnsManager dnsManager;
    private final int concurrency;

    private MailAutomation(Builder b, ProvisioningSettings settings, MailboxProvisioner provisioner) {
        this.settings = settings;
        this.provisioner = provisioner;
        this.dnsManager = b.dnsManager;
        this.concurrency = b.concurrency;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Configuration variable: mailboxes created at once during population runs. */
    public static final String CONCURRENCY = "AZT3KNET_PROVISIONING_CONCURRENCY";
    /** Mailboxes created at once unless configured. */
    public static final int DEFAULT_CONCURRENCY = 16;
    /** The most mailboxes created at once. */
    public static final int MAX_CONCURRENCY = 256;

    /** What {@link #fromConfiguration(ConfigSource, Scope)} wires. */
    public enum Scope {
        /**
         * The mailbox provider only, ready to create mailboxes: everything creating one needs (Mailjet's
         * {@code MAILJET_INBOUND_URL}) is checked when the automation is built. DNS settings are neither needed
         * nor read.
         */
        MAILBOXES,
        /**
         * The mailbox provider, ready to create mailboxes as in {@link #MAILBOXES}, and the DNS provider found on
         * the classpath.
         */
        MAILBOXES_AND_DNS,
        /**
         * What {@link #bootstrapDomain} needs: the mailbox provider's domain side and the DNS provider found on
         * the classpath. Settings only mailbox creation needs are not required; creating a mailbox through such
         * an automation fails with a {@link ConfigurationException} naming them.
         */
        DOMAIN
    }

    /**
     * Builds from configuration alone, with everything found on the classpath; the same as
     * {@code fromConfiguration(source, Scope.MAILBOXES_AND_DNS)}.
     *
     * @param source the configuration
     * @return the automation
     * @throws ConfigurationException listing every problem, or when no provider module is on the classpath
     */
    public static MailAutomation fromConfiguration(ConfigSource source) {
        return fromConfiguration(source, Scope.MAILBOXES_AND_DNS);
    }

    /**
     * Builds from configuration alone: provisioning settings from {@code DESEC_DOMAIN} and
     * {@code AZT3KNET_AGENT_MAIL_PREFIX}, the mailbox provider and (in {@link Scope#MAILBOXES_AND_DNS} and
     * {@link Scope#DOMAIN}, when its module is present) the DNS provider found through {@link ServiceLoader}. Every
     * configuration problem of every module is reported at once, including, unless the scope is
     * {@link Scope#DOMAIN}, what creating a mailbox needs.
     *
     * @param source the configuration
     * @param scope what to wire
     * @return the automation
     * @throws ConfigurationException listing every problem, or when no provider module is on the classpath
     */
    public static MailAutomation fromConfiguration(ConfigSource source, Scope scope) {
        List<String> problems = new ArrayList<>();
        ProvisioningSettings settings = collect(problems, () -> ProvisioningSettings.from(source));
        Integer concurrency = collect(problems, () -> concurrency(source));
        MailboxProvisioner provisioner = null;
        List<MailboxProvisionerFactory> provisioners = load(MailboxProvisionerFactory.class);
        if (provisioners.isEmpty()) {
            problems.add(NO_PROVISIONER);
        } else {
            MailboxProvisionerFactory factory = provisioners.get(0);
            provisioner = collect(problems, () -> scope == Scope.DOMAIN ? factory.create(source)
                    : factory.createForMailboxes(source));
        }
        DnsManager dns = null;
        List<DnsManagerFactory> dnsFactories = scope == Scope.MAILBOXES ? List.of() : load(DnsManagerFactory.class);
        if (!dnsFactories.isEmpty()) {
            dns = collect(problems, () -> dnsFactories.get(0).create(source));
        }
        if (!problems.isEmpty()) {
            closeQuietly(provisioner);
            closeQuietly(dns);
            throw new ConfigurationException(problems.stream().distinct().toList());
        }
        Builder b = builder().settings(Objects.requireNonNull(settings)).provisioner(Objects.requireNonNull(provisioner))
                .concurrency(Objects.requireNonNull(concurrency));
        if (dns != null) {
            b.dnsManager(dns);
        }
        return b.build();
    }

    /**
     * @param source the configuration
     * @return {@value #CONCURRENCY}, or {@value #DEFAULT_CONCURRENCY} when it is not set
     * @throws ConfigurationException naming the variable when it is not a number from 1 to {@value #MAX_CONCURRENCY}
     */
    public static int concurrency(ConfigSource source) {
        SettingsReader r = new SettingsReader(source);
        int n = r.integer(CONCURRENCY, DEFAULT_CONCURRENCY, 1, MAX_CONCURRENCY);
        r.validate();
        return n;
    }

    private static <T> @Nullable T collect(List<String> problems, Supplier<T> step) {
        try {
            return step.get();
        } catch (ConfigurationException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    private static <T> List<T> load(Class<T> type) {
        List<T> found = new ArrayList<>();
        ServiceLoader.load(type, MailAutomation.class.getClassLoader()).forEach(found::add);
        return found;
    }

    private static void closeQuietly(@Nullable AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // nothing useful to do while already failing
            }
        }
    }

    /** @return the domain and prefix */
    public ProvisioningSettings settings() {
        return settings;
    }

    /** @return the mailbox provisioner */
    public MailboxProvisioner provisioner() {
        return provisioner;
    }

    /** @return the DNS manager, if one is configured */
    public Optional<DnsManager> dnsManager() {
        return Optional.ofNullable(dnsManager);
    }

    /**
     * A fresh namer for one population in the configured domain, with the configured prefix, whose every
     * timestamp is {@code populationInstant}: the same seed and instant give the same addresses on every run.
     *
     * @param seed the population seed
     * @param populationInstant the instant in every address (its second, UTC)
     * @return a fresh namer, with no address given out yet
     */
    public MailboxNamer newNamer(long seed, Instant populationInstant) {
        return newNamer(seed, Clock.fixed(Objects.requireNonNull(populationInstant, "populationInstant"),
                ZoneOffset.UTC));
    }

    /**
     * A fresh namer for one population in the configured domain, with the configured prefix. Only a fixed clock
     * makes a run repeatable: with a ticking clock, a re-run names every agent anew.
     *
     * @param seed the population seed
     * @param clock the clock the timestamps come from
     * @return a fresh namer, with no address given out yet
     */
    public MailboxNamer newNamer(long seed, Clock clock) {
        return StandardMailboxNamer.builder(settings).seed(seed).clock(clock).build();
    }

    /**
     * Names and provisions a population with a fresh namer for this seed and instant; see
     * {@link PopulationProvisioner}. Running it again with the same agents, seed and instant creates nothing new
     * (see "Re-runs" in the class documentation).
     *
     * @param agents the population, in order
     * @param seed the population seed
     * @param populationInstant the instant in every address
     * @param listener sees every agent
     * @return one outcome per agent; when the provider's existing mailboxes cannot be read, a report that says the
     *     run could not start and why ({@link ProvisioningReport#notStarted()}), every agent not attempted
     */
    public ProvisioningReport provision(List<AgentIdentity> agents, long seed, Instant populationInstant,
            ProvisioningListener listener) {
        return provision(agents, newNamer(seed, populationInstant), listener);
    }

    /**
     * Names and provisions a population with bounded concurrency; see {@link PopulationProvisioner}.
     *
     * @param agents the population, in order
     * @param namer a fresh namer for this population (from {@link #newNamer}); a namer that already named these
     *     agents gives each of them a new address, and so a new mailbox
     * @param listener sees every agent
     * @return one outcome per agent; when the provider's existing mailboxes cannot be read, a report that says the
     *     run could not start and why ({@link ProvisioningReport#notStarted()}), every agent not attempted
     */
    public ProvisioningReport provision(List<AgentIdentity> agents, MailboxNamer namer, ProvisioningListener listener) {
        return new PopulationProvisioner(provisioner, concurrency).provision(agents, namer, settings.domain(), listener);
    }

    // ---- population lifecycle (see PopulationLifecycle)

    /**
     * @param seed the population seed
     * @param instant the instant every agent of the population is named at
     * @return an empty manifest for the configured domain and prefix; add agents with {@link #extend}
     */
    public PopulationManifest newManifest(long seed, Instant instant) {
        return PopulationManifest.builder(settings.domain(), seed, instant).prefix(settings.prefix()).build();
    }

    /**
     * Adds the agents the manifest does not hold yet, named with its seed and instant, as {@code pending}; see
     * {@link PopulationLifecycle#extend}. Writes nothing: store the result with {@link ManifestFile#replace} before
     * applying, so that the manifest knows every mailbox before it is created.
     *
     * @param manifest the population
     * @param agents the population as it should be, in order, each with a stable id
     * @return the manifest with the new agents
     */
    public PopulationManifest extend(PopulationManifest manifest, List<AgentIdentity> agents) {
        return lifecycle().extend(manifest, agents);
    }

    /**
     * What {@link #apply} would do, from one listing of the provider; writes nothing. See
     * {@link PopulationLifecycle#plan}.
     *
     * @param manifest the population
     * @return to create, to repair, unchanged and retired, per agent
     */
    public PopulationPlan plan(PopulationManifest manifest) {
        return lifecycle().plan(manifest);
    }

    /**
     * Gives every agent of the manifest that is not retired its mailbox, creating or repairing what is missing and
     * nothing beyond the manifest; see {@link PopulationLifecycle#apply}.
     *
     * @param file the manifest file, updated as agents are confirmed
     * @param listener sees every agent
     * @return one outcome per agent that is not retired
     */
    public ProvisioningReport apply(ManifestFile file, ProvisioningListener listener) {
        return lifecycle().apply(file, listener);
    }

    /**
     * Retires agents: deletes their mailboxes at the provider and marks them retired; see
     * {@link PopulationLifecycle#retire}.
     *
     * @param file the manifest file
     * @param idsOrAddresses the agents; empty for all
     * @param dryRun report only, write nothing
     * @return one outcome per agent
     */
    public RetirementReport retire(ManifestFile file, Collection<String> idsOrAddresses, boolean dryRun) {
        return lifecycle().retire(file, idsOrAddresses, dryRun);
    }

    /** @return every mailbox of the configured domain at the provider, from one listing */
    public List<Mailbox> mailboxes() {
        return lifecycle().mailboxes();
    }

    /**
     * @param manifests every manifest of this deployment on the domain
     * @return the mailboxes routed to this deployment that no manifest mentions; see {@link PopulationLifecycle#orphans}
     */
    public List<Mailbox> orphans(Collection<PopulationManifest> manifests) {
        return lifecycle().orphans(manifests);
    }

    /**
     * @param orphans mailboxes found by {@link #orphans}
     * @param dryRun report only
     * @return one outcome per mailbox; see {@link PopulationLifecycle#removeOrphans}
     */
    public RetirementReport removeOrphans(List<Mailbox> orphans, boolean dryRun) {
        return lifecycle().removeOrphans(orphans, dryRun);
    }

    /** @return the lifecycle operations over this automation's provisioner and domain */
    public PopulationLifecycle lifecycle() {
        return new PopulationLifecycle(provisioner, settings.domain(), concurrency, java.time.Clock.systemUTC());
    }

    /**
     * A mail service sending as one agent over SMTP (STARTTLS required on 587, implicit TLS on 465), from the
     * credentials provisioning returned. Close it when done; it reuses its connection for a batch.
     *
     * @param credentials the agent's mailbox credentials
     * @return the agent's mail service
     */
    public MailService mailService(MailboxCredentials credentials) {
        return MailService.forAgent(credentials);
    }

    /**
     * Runs the domain bootstrap for the configured domain; see {@link DomainBootstrap}.
     *
     * @param options how to run (dry run, DMARC policy, DynDNS, verification wait)
     * @return a report of every step
     * @throws ConfigurationException if no DNS manager is configured
     */
    public DomainReport bootstrapDomain(BootstrapOptions options) {
        if (dnsManager == null) {
            throw new ConfigurationException("a DNS manager is required to bootstrap the domain: add a DNS provider module "
                    + "(one that registers a " + DnsManagerFactory.class.getName() + ") with its configuration, or pass "
                    + "one to MailAutomation.builder().dnsManager(...)");
        }
        return new DomainBootstrap(provisioner, dnsManager).run(settings.domain(), options);
    }

    @Override
    public void close() {
        provisioner.close();
        if (dnsManager != null) {
            dnsManager.close();
        }
    }

    @Override
    public String toString() {
        return "MailAutomation[domain=" + settings.domain() + ", provisioner=" + provisioner.providerName()
                + ", dns=" + (dnsManager == null ? "none" : dnsManager.providerName()) + ", concurrency=" + concurrency
                + "]";
    }

    /** Builds a {@link MailAutomation}; {@link #build()} reports every missing piece at once. */
    public static final class Builder {
        private @Nullable ProvisioningSettings settings;
        private @Nullable MailboxProvisioner provisioner;
        private @Nullable DnsManager dnsManager;
        private int concurrency = DEFAULT_CONCURRENCY;

        private Builder() {
        }

        /**
         * @param s the domain and prefix
         * @return this builder
         */
        public Builder settings(ProvisioningSettings s) {
            this.settings = Objects.requireNonNull(s, "settings");
            return this;
        }

        /**
         * @param p the mailbox provisioner (closed with the automation)
         * @return this builder
         */
        public Builder provisioner(MailboxProvisioner p) {
            this.provisioner = Objects.requireNonNull(p, "provisioner");
            return this;
        }

        /**
         * @param d the DNS manager (closed with the automation)
         * @return this builder
         */
        public Builder dnsManager(DnsManager d) {
            this.dnsManager = Objects.requireNonNull(d, "dnsManager");
            return this;
        }

        /**
         * @param n mailboxes created at once during population runs, 1 to {@value #MAX_CONCURRENCY} (default
         *     {@value #DEFAULT_CONCURRENCY}; {@link #fromConfiguration} reads {@value #CONCURRENCY})
         * @return this builder
         */
        public Builder concurrency(int n) {
            this.concurrency = n;
            return this;
        }

        /**
         * @return the automation
         * @throws ConfigurationException listing every missing or invalid piece
         */
        public MailAutomation build() {
            List<String> problems = new ArrayList<>();
            if (settings == null) {
                problems.add("settings (the mail domain, " + ProvisioningSettings.DOMAIN + ") are required");
            }
            if (provisioner == null) {
                problems.add("a mailbox provisioner is required");
            }
            if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
                problems.add("concurrency must be 1.." + MAX_CONCURRENCY + ", got " + concurrency);
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            return new MailAutomation(this, Objects.requireNonNull(settings), Objects.requireNonNull(provisioner));
        }
    }
}
