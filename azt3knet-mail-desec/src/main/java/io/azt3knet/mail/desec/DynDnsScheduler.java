package io.azt3knet.mail.desec;

import io.azt3knet.mail.QuotaExhaustedException;
import io.azt3knet.mail.dns.DnsManager;
import io.azt3knet.mail.dns.DynDnsResult;
import io.azt3knet.mail.dns.DynDnsUpdate;
import java.net.Inet4Address;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a host name's IPv4 address fresh: every interval (24 h by default) it discovers the public IPv4
 * address and sends a DynDNS update only when the address changed since the last accepted update
 * ({@link DynDnsResult.Outcome#SKIPPED_UNCHANGED} otherwise). The IPv6 record set is preserved. It never
 * sends more than 2 updates in 2 minutes (deSEC's limit per domain). A failed run is logged and retried at
 * the next interval. {@link #close()} stops it cleanly, letting a run in progress finish.
 *
 * <p>The optional {@code mail.<domain>} A record belongs to the mail DNS plan
 * ({@link io.azt3knet.mail.dns.MailDnsOptions#withMailHostAddress}); it is set to the same discovered address
 * when the plan is applied. The {@link Builder#listener listener} is told every background result; on
 * {@link DynDnsResult.Outcome#UPDATED} the application can plan and apply again to move that record too.
 *
 * <p>{@link #runOnce()} is one step, on the injected clock, so tests drive the schedule without waiting;
 * {@link #start()} runs it on a single daemon thread, first at once and then after every interval.
 *
 * <pre>{@code
 * try (DynDnsScheduler dyndns = desecDnsManager.dynDnsScheduler().build().start()) {
 *     ... // the application runs; the address stays fresh
 * }
 * }</pre>
 */
public final class DynDnsScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DynDnsScheduler.class);

    private final DnsManager manager;
    private final String hostname;
    private final Duration interval;
    private final Consumer<DynDnsResult> listener;
    private final SlidingWindowLimit updateLimit;
    private final Object lock = new Object();
    private @Nullable Inet4Address lastUpdated;
    private @Nullable ScheduledExecutorService executor;

    private DynDnsScheduler(Builder b) {
        this.manager = b.manager;
        this.hostname = b.hostname;
        this.interval = b.interval;
        this.listener = b.listener;
        this.updateLimit = new SlidingWindowLimit(2, Duration.ofMinutes(2), b.clock);
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
     * One refresh: discover the public IPv4 address and update the host name if it changed.
     *
     * @return what was done
     * @throws QuotaExhaustedException if 2 updates were already sent in the last 2 minutes (nothing is sent)
     */
    public DynDnsResult runOnce() {
        synchronized (lock) {
            Inet4Address address = manager.discoverPublicIpv4();
            DynDnsUpdate update = DynDnsUpdate.ipv4(hostname, address);
            if (address.equals(lastUpdated)) {
                return new DynDnsResult(update, DynDnsResult.Outcome.SKIPPED_UNCHANGED);
            }
            Optional<java.time.Instant> busyUntil = updateLimit.tryAcquire();
            if (busyUntil.isPresent()) {
                throw new QuotaExhaustedException(manager.providerName(), "DynDNS update of " + hostname, busyUntil.get(),
                        "at most " + updateLimit.describe() + " DynDNS updates per domain");
            }
            DynDnsResult result = manager.updateDynDns(update);
            lastUpdated = address;
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
            DynDnsResult result = runOnce();
            LOG.info("DynDNS {}: {} ({})", hostname, result.outcome(), result.update().ipv4().map(Inet4Address::getHostAddress).orElse("-"));
            listener.accept(result);
        } catch (RuntimeException e) { // the schedule must survive one failed run
            LOG.warn("DynDNS refresh of {} failed, retrying in {}: {}", hostname, interval, e.getMessage());
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
        private Duration interval = DesecSettings.DEFAULT_DYNDNS_INTERVAL;
        private Clock clock = Clock.systemUTC();
        private Consumer<DynDnsResult> listener = r -> { };

        private Builder(DnsManager manager, String hostname) {
            this.manager = Objects.requireNonNull(manager, "manager");
            this.hostname = Objects.requireNonNull(hostname, "hostname");
        }

        /**
         * @param d time between refreshes, at least 1 minute
         * @return this builder
         */
        public Builder interval(Duration d) {
            if (d.compareTo(DesecSettings.MIN_DYNDNS_INTERVAL) < 0) {
                throw new IllegalArgumentException("DynDNS interval must be at least 1 minute, got " + d);
            }
            this.interval = d;
            return this;
        }

        /**
         * @param c the clock the 2-per-2-minutes limit is measured on
         * @return this builder
         */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /**
         * @param l told the result of every successful background run
         * @return this builder
         */
        public Builder listener(Consumer<DynDnsResult> l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /** @return the scheduler, not yet started */
        public DynDnsScheduler build() {
            return new DynDnsScheduler(this);
        }
    }
}
