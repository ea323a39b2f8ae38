package io.azt3knet.mail.dns;

import io.azt3knet.mail.StalePlanException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link DnsManager} whose zones live in memory: for tests, offline runs and dry runs of the orchestration.
 * It behaves like a real provider where that matters: planning with {@link DnsPlanner}, a minimum TTL,
 * atomic apply that refuses a stale plan, no write for a plan without changes, and DynDNS that sets the
 * A/AAAA record sets of a host name with TTL 60 (as deSEC does) and keeps a family that is not given.
 *
 * <p>Zones exist from their first use. {@link #seed} puts record sets without counting a write, so tests can
 * prepare a zone (or change it behind a plan's back) and then assert {@link #writeRequests()}. Thread-safe.
 *
 * <pre>{@code
 * InMemoryDnsManager dns = InMemoryDnsManager.create();                 // minimum TTL 3600, IPv4 192.0.2.1
 * InMemoryDnsManager other = InMemoryDnsManager.builder().minimumTtl(60).publicIpv4("203.0.113.7").build();
 * dns.apply(dns.plan(DesiredDns.forMail(requirements, MailDnsOptions.defaults())));
 * }</pre>
 */
public final class InMemoryDnsManager implements DnsManager {

    /** The TTL DynDNS updates write, like deSEC's. */
    private static final int DYNDNS_TTL = 60;

    private final int minimumTtl;
    private final Inet4Address publicIpv4;
    private final Map<String, Map<DnsRecordSet.Key, DnsRecordSet>> zones = new HashMap<>();
    private final AtomicLong writeRequests = new AtomicLong();

    /** The minimum TTL of {@link #create()}: deSEC's for a new domain. */
    public static final int DEFAULT_MINIMUM_TTL = 3600;
    /** The public IPv4 of {@link #create()}, from TEST-NET-1 (RFC 5737): never a real host. */
    public static final String DEFAULT_PUBLIC_IPV4 = "192.0.2.1";

    private InMemoryDnsManager(int minimumTtl, Inet4Address publicIpv4) {
        this.minimumTtl = minimumTtl;
        this.publicIpv4 = publicIpv4;
    }

    /**
     * @return a manager with the defaults: minimum TTL {@value #DEFAULT_MINIMUM_TTL}, public IPv4
     *     {@value #DEFAULT_PUBLIC_IPV4}
     */
    public static InMemoryDnsManager create() {
        return builder().build();
    }

    /** @return a builder, with the defaults of {@link #create()} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String providerName() {
        return "memory";
    }

    /**
     * Puts record sets into a zone directly, replacing sets with the same name and type, without counting a
     * write request: the zone's state before the library touches it, or a change made by someone else.
     *
     * @param domain the zone
     * @param sets the record sets
     */
    public synchronized void seed(String domain, List<DnsRecordSet> sets) {
        Map<DnsRecordSet.Key, DnsRecordSet> zone = zone(domain);
        sets.forEach(s -> zone.put(s.key(), s));
    }

    /** @return how many write requests (applies with changes, DynDNS updates) this manager has made */
    public long writeRequests() {
        return writeRequests.get();
    }

    @Override
    public synchronized List<DnsRecordSet> recordSets(String domain) {
        return List.copyOf(zone(domain).values());
    }

    @Override
    public int minimumTtl(String domain) {
        return minimumTtl;
    }

    @Override
    public DnsPlan plan(DesiredDns desired) {
        return DnsPlanner.plan(desired, recordSets(desired.domain()), minimumTtl);
    }

    @Override
    public synchronized DnsApplyReport apply(DnsPlan plan) {
        if (plan.hasConflicts()) {
            throw DnsPlanner.conflicts(plan);
        }
        if (!plan.hasChanges()) {
            return new DnsApplyReport(plan, false);
        }
        Map<DnsRecordSet.Key, DnsRecordSet> zone = zone(plan.domain());
        List<DnsRecordSet.Key> stale = DnsPlanner.staleSets(plan, zone.values());
        if (!stale.isEmpty()) {
            throw new StalePlanException(plan.domain(), stale);
        }
        for (DnsChange change : plan.writes()) {
            if (change.after().ttl() < minimumTtl) {
                throw new IllegalArgumentException("TTL of " + change.key() + " is " + change.after().ttl()
                        + ", below the zone's minimum " + minimumTtl + "; plan with plan(DesiredDns)");
            }
        }
        writeRequests.incrementAndGet();
        plan.writes().forEach(c -> zone.put(c.key(), c.after()));
        return new DnsApplyReport(plan, true);
    }

    /**
     * Sets the A and/or AAAA record set of the host name (TTL 60); a family not given stays as it is. The host
     * name belongs to the longest known zone it ends with, or is a zone of its own.
     */
    @Override
    public synchronized DynDnsOutcome updateDynDns(DynDnsUpdate update) {
        String host = update.hostname().toLowerCase(Locale.ROOT);
        String domain = zones.keySet().stream()
                .filter(z -> host.equals(z) || host.endsWith("." + z))
                .max(Comparator.comparingInt(String::length))
                .orElse(host);
        String subname = host.equals(domain) ? "" : host.substring(0, host.length() - domain.length() - 1);
        Map<DnsRecordSet.Key, DnsRecordSet> zone = zone(domain);
        writeRequests.incrementAndGet();
        update.ipv4().ifPresent(a -> zone.put(new DnsRecordSet.Key(subname, "A"),
                DnsRecordSet.of(subname, "A", DYNDNS_TTL, a.getHostAddress())));
        update.ipv6().ifPresent(a -> zone.put(new DnsRecordSet.Key(subname, "AAAA"),
                DnsRecordSet.of(subname, "AAAA", DYNDNS_TTL, a.getHostAddress())));
        return new DynDnsOutcome(update, DynDnsOutcome.Action.UPDATED);
    }

    @Override
    public Inet4Address discoverPublicIpv4() {
        return publicIpv4;
    }

    @Override
    public void close() {
        // nothing to release
    }

    private Map<DnsRecordSet.Key, DnsRecordSet> zone(String domain) {
        return zones.computeIfAbsent(domain.toLowerCase(Locale.ROOT), d -> new LinkedHashMap<>());
    }

    /** Builds an {@link InMemoryDnsManager}; every value has a default. */
    public static final class Builder {
        private int minimumTtl = DEFAULT_MINIMUM_TTL;
        private Inet4Address publicIpv4 = ipv4(DEFAULT_PUBLIC_IPV4);

        private Builder() {
        }

        /**
         * @param seconds the smallest TTL every zone accepts (default {@value InMemoryDnsManager#DEFAULT_MINIMUM_TTL})
         * @return this builder
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder minimumTtl(int seconds) {
            if (seconds < 1) {
                throw new IllegalArgumentException("minimumTtl must be positive, got " + seconds);
            }
            this.minimumTtl = seconds;
            return this;
        }

        /**
         * @param address the address {@link InMemoryDnsManager#discoverPublicIpv4()} reports, as a dotted-quad literal such as
         *     {@code 203.0.113.7} (default {@value InMemoryDnsManager#DEFAULT_PUBLIC_IPV4}); never looked up in DNS
         * @return this builder
         * @throws IllegalArgumentException if it is not an IPv4 literal
         */
        public Builder publicIpv4(String address) {
            this.publicIpv4 = ipv4(Objects.requireNonNull(address, "address"));
            return this;
        }

        /**
         * @param address the address {@link InMemoryDnsManager#discoverPublicIpv4()} reports
         * @return this builder
         */
        public Builder publicIpv4(Inet4Address address) {
            this.publicIpv4 = Objects.requireNonNull(address, "address");
            return this;
        }

        /** @return the manager, with no zone yet */
        public InMemoryDnsManager build() {
            return new InMemoryDnsManager(minimumTtl, publicIpv4);
        }

        private static Inet4Address ipv4(String literal) {
            String[] parts = literal.split("\\.", -1);
            byte[] bytes = new byte[4];
            boolean valid = parts.length == 4;
            for (int i = 0; valid && i < 4; i++) {
                valid = parts[i].matches("[0-9]{1,3}") && Integer.parseInt(parts[i]) <= 255;
                if (valid) {
                    bytes[i] = (byte) Integer.parseInt(parts[i]);
                }
            }
            if (!valid) {
                throw new IllegalArgumentException("publicIpv4 must be an IPv4 literal such as 203.0.113.7, got '"
                        + literal.replaceAll("\\p{Cntrl}", "?") + "'");
            }
            try {
                return (Inet4Address) InetAddress.getByAddress(bytes);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("four bytes are always an IPv4 address", e);
            }
        }
    }
}
