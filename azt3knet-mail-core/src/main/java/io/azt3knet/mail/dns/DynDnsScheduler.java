package io.azt3knet.mail.dns;

import io.azt3knet.mail.internal.util.LogText;
import io.azt3knet.mail.QuotaExhaustedException;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a host name's IPv4 address fresh: every interval (24 h by default) it discovers the public IPv4
 * address and sends a DynDNS update only when the address differs from the one the host name already has
 * ({@link DynDnsOutcome.Action#SKIPPED_UNCHANGED} otherwise). What the host name has is read from the live
 * zone once, on the first run (its {@code A} record set, through {@link DnsManager#recordSets}), and then
 * follows the updates this scheduler sends; so even a fresh process, such as the one-shot {@code dyndns}
 * command, sends no update when nothing changed. The IPv6 record set is preserved. A failed run is logged and
 * retried at the next interval. {@link #close()} stops it cleanly, letting a run in progress finish.
 *
 * <p>Rate limits are the manager's: a provider's manager refuses updates beyond the provider's limits with
 * {@link QuotaExhaustedException}, whoever asks (deSEC's, for example, sends at most 2 updates in any 2 minutes).
 *
 * <p>The optional {@code mail.<domain>} A record belongs to the mail DNS plan
 * ({@link io.azt3knet.mail.dns.MailDnsOptions#withMailHostAddress}); it is set to the same discovered address
 * when the plan is applied. The {@link Builder#listener listener} is told every background result; on
 * {@link DynDnsOutcome.Action#UPDATED} the application can plan and apply again to move that record too.
 *
 * <p>{@link #runOnce()} is one step, so tests drive the schedule without waiting;
 * {@link #start()} runs it on a single daemon thread, first at once and then after every interval.
 *
 * <pre>{@code
 * try (DynDnsScheduler dyndns = DynDnsScheduler.builder(dnsManager, "agents.example.org").build().start()) {
 *     application.run(); // while the application runs, the address stays fresh
 * }
 * }</pre>
 */
public final class DynDnsScheduler implements AutoCloseable {

    /** The refresh interval unless configured: 24 hours. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(24);
    /** The shortest refresh interval accepted: 1 minute. */
    public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(DynDnsScheduler.class);

    private final DnsManager manager;
    private final String hostname;
    private final Duration interval;
    private final String zone;
    private final DnsRecordSet.Key hostA;
    private final Consumer<DynDnsOutcome> listener;
    private final Object lock = new Object();
    private boolean knowsLiveAddress;
    /** The host name's address as far as this scheduler knows: from the zone, then from its own updates. */
    private @Nullable String currentAddress;
    private @Nullable ScheduledExecutorService executor;

    private DynDnsScheduler(Builder b) {
        this.manager = b.manager;
        this.hostname = b.hostname;
        this.zone = b.zone == null ? b.hostname : b.zone;
        if (!hostname.equals(zone) && !hostname.endsWith("." + zone)) {
            throw new IllegalArgumentException("host name " + hostname + " is not in zone " + zone);
        }
        this.hostA = new DnsRecordSet.Key(hostname.equals(zone) ? "" : hostname.substring(0, hostname.length() - zone.length() - 1), "A");
        this.interval = b.interval;
        this.listener = b.listener;
    }

    /**
     * @param manager where addresses are discovered and updated
     * @param hostname the host name to keep fresh (the domain, or a name under it)
     * @return a builder
     */
    public static Builder builder(DnsManager manager, String hostname) {
        return new Builder(manager, hostname);
    }

    /**
     * One refresh: discover the public IPv4 address and update the host name if its address differs. The first
     * run also reads the host name's {@code A} record set from the zone.
     *
     * @return what was done
     * @throws QuotaExhaustedException if the manager's rate limit leaves no slot (nothing is sent)
     */
    public DynDnsOutcome runOnce() {
        return refresh(true);
    }

    /**
     * What {@link #runOnce()} would do, without telling the provider: discovers the address and reads the zone.
     *
     * @return {@link DynDnsOutcome.Action#PLANNED} when the address changed, else
     *     {@link DynDnsOutcome.Action#SKIPPED_UNCHANGED}
     */
    public DynDnsOutcome dryRun() {
        return refresh(false);
    }

    private DynDnsOutcome refresh(boolean write) {
        synchronized (lock) {
            Inet4Address address = manager.discoverPublicIpv4();
            DynDnsUpdate update = DynDnsUpdate.ipv4(hostname, address);
            if (!knowsLiveAddress) {
                currentAddress = manager.recordSets(zone).stream()
                        .filter(s -> s.key().equals(hostA) && s.records().size() == 1)
                        .map(s -> s.records().get(0))
                        .findFirst().orElse(null);
                knowsLiveAddress = true;
            }
            if (address.getHostAddress().equals(currentAddress)) {
                return new DynDnsOutcome(update, DynDnsOutcome.Action.SKIPPED_UNCHANGED);
            }
            if (!write) {
                return new DynDnsOutcome(update, DynDnsOutcome.Action.PLANNED);
            }
            DynDnsOutcome result = manager.updateDynDns(update);
            currentAddress = address.getHostAddress();
            return result;
        }
    }

    /**
     * Starts refreshing in the background: now, then after every interval.
     *
     * @return this scheduler
     * @throws IllegalStateException if already started
     */
    public DynDnsScheduler start() {
        synchronized (lock) {
            if (executor != null) {
                throw new IllegalStateException("DynDNS scheduler for " + hostname + " already started");
            }
            executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "azt3knet-dyndns-" + hostname);
                t.setDaemon(true);
                return t;
            });
            executor.scheduleWithFixedDelay(this::runLogged, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
            return this;
        }
    }

    private void runLogged() {
        try {
            DynDnsOutcome result = runOnce();
            LOG.info("DynDNS {}: {} ({})", LogText.escape(hostname), result.action(), result.update().ipv4().map(Inet4Address::getHostAddress).orElse("-"));
            listener.accept(result);
        } catch (RuntimeException e) { // the schedule must survive one failed run
            LOG.warn("DynDNS refresh of {} failed, retrying in {}: {}", LogText.escape(hostname), interval,
                    LogText.escape(e.getMessage()));
        }
    }

    /** Stops the background refresh; a run in progress may finish (up to 30 s). Idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService ex;
        synchronized (lock) {
            ex = executor;
        }
        if (ex == null) {
            return;
        }
        ex.shutdown();
        try {
            if (!ex.awaitTermination(30, TimeUnit.SECONDS)) {
                ex.shutdownNow();
            }
        } catch (InterruptedException e) {
            ex.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Builds a {@link DynDnsScheduler}. */
    public static final class Builder {
        private final DnsManager manager;
        private final String hostname;
        private @Nullable String zone;
        private Duration interval = DEFAULT_INTERVAL;
        private Consumer<DynDnsOutcome> listener = r -> { };

        private Builder(DnsManager manager, String hostname) {
            this.manager = Objects.requireNonNull(manager, "manager");
            this.hostname = Objects.requireNonNull(hostname, "hostname").toLowerCase(Locale.ROOT);
        }

        /**
         * @param domain the zone the host name belongs to, when the host name is a name under it (by default the
         *     host name is a zone itself); the host name's current address is read from this zone
         * @return this builder
         */
        public Builder zone(String domain) {
            this.zone = Objects.requireNonNull(domain, "domain").toLowerCase(Locale.ROOT);
            return this;
        }

        /**
         * @param d time between refreshes, at least 1 minute
         * @return this builder
         */
        public Builder interval(Duration d) {
            if (d.compareTo(MIN_INTERVAL) < 0) {
                throw new IllegalArgumentException("DynDNS interval must be at least 1 minute, got " + d);
            }
            this.interval = d;
            return this;
        }

        /**
         * @param l told the result of every successful background run
         * @return this builder
         */
        public Builder listener(Consumer<DynDnsOutcome> l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /**
         * @return the scheduler, not yet started
         * @throws IllegalArgumentException if the host name is not in the {@link #zone zone}
         */
        public DynDnsScheduler build() {
            return new DynDnsScheduler(this);
        }
    }
}
