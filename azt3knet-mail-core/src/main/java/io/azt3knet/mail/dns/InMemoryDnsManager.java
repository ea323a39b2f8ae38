package io.azt3knet.mail.dns;

import io.azt3knet.mail.StalePlanException;
import java.net.Inet4Address;
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
 * InMemoryDnsManager dns = new InMemoryDnsManager(3600, (Inet4Address) InetAddress.getByName("192.0.2.10"));
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

    /**
     * @param minimumTtl the smallest TTL every zone accepts
     * @param publicIpv4 the address {@link #discoverPublicIpv4()} reports
     */
    public InMemoryDnsManager(int minimumTtl, Inet4Address publicIpv4) {
        if (minimumTtl < 1) {
            throw new IllegalArgumentException("minimumTtl must be positive, got " + minimumTtl);
        }
        this.minimumTtl = minimumTtl;
        this.publicIpv4 = Objects.requireNonNull(publicIpv4, "publicIpv4");
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
    public synchronized DnsApplyResult apply(DnsPlan plan) {
        if (plan.hasConflicts()) {
            throw DnsPlanner.conflicts(plan);
        }
        if (!plan.hasChanges()) {
            return new DnsApplyResult(plan, false);
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
        return new DnsApplyResult(plan, true);
    }

    /**
     * Sets the A and/or AAAA record set of the host name (TTL 60); a family not given stays as it is. The host
     * name belongs to the longest known zone it ends with, or is a zone of its own.
     */
    @Override
    public synchronized DynDnsResult updateDynDns(DynDnsUpdate update) {
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
        return new DynDnsResult(update, DynDnsResult.Outcome.UPDATED);
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
}
