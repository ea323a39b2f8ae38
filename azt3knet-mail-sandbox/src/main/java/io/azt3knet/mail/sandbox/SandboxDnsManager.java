package io.azt3knet.mail.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.StalePlanException;
import io.azt3knet.mail.dns.DesiredDns;
import io.azt3knet.mail.dns.DnsApplyReport;
import io.azt3knet.mail.dns.DnsChange;
import io.azt3knet.mail.dns.DnsManager;
import io.azt3knet.mail.dns.DnsPlan;
import io.azt3knet.mail.dns.DnsPlanner;
import io.azt3knet.mail.dns.DnsRecordSet;
import io.azt3knet.mail.dns.DynDnsOutcome;
import io.azt3knet.mail.dns.DynDnsUpdate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The sandbox's {@link DnsManager}: each zone is a file, {@code <dir>/zones/<domain>.json}, that outlives the
 * process, and {@link #zoneFile(String)} prints it as an RFC 1035 master file. It behaves like deSEC where the
 * library cares: planning with {@link DnsPlanner}, a minimum TTL (3600 s unless set), an atomic apply (the whole
 * zone is written to a temporary file and renamed; a plan whose live sets changed meanwhile is refused with
 * {@link StalePlanException}), no write for a plan without changes, DynDNS setting A/AAAA with TTL 60 and keeping a
 * family that is not given. Changes are serialised across threads and processes by a lock file per zone.
 *
 * <p>Nothing here touches the network: {@link #discoverPublicIpv4()} answers the loopback address, the only
 * address the sandbox's mail ever comes from.
 *
 * <pre>{@code
 * try (SandboxDnsManager dns = SandboxDnsManager.builder(Path.of(".azt3knet-sandbox")).build()) {
 *     dns.apply(dns.plan(DesiredDns.forMail(requirements, MailDnsOptions.defaults())));
 *     System.out.print(dns.zoneFile("agents.azt3knet.test"));
 * }
 * }</pre>
 */
public final class SandboxDnsManager implements DnsManager {

    static final String ZONES_DIRECTORY = "zones";

    private static final int DYNDNS_TTL = 60;
    /** One monitor per zone file in this JVM; the file lock covers other processes (it cannot nest in one JVM). */
    private static final Map<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path zones;
    private final int minimumTtl;
    private final AtomicLong writeRequests = new AtomicLong();

    private SandboxDnsManager(Builder b) {
        this.zones = SandboxFiles.directory(b.directory.resolve(ZONES_DIRECTORY)).toAbsolutePath().normalize();
        this.minimumTtl = b.minimumTtl;
    }

    /**
     * @param directory the sandbox directory (created with mode 0700 when missing)
     * @return a builder
     */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    @Override
    public String providerName() {
        return "sandbox";
    }

    @Override
    public List<DnsRecordSet> recordSets(String domain) {
        return readZone(zones, domain);
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
    public DnsApplyReport apply(DnsPlan plan) {
        Objects.requireNonNull(plan, "plan");
        if (plan.hasConflicts()) {
            throw DnsPlanner.conflicts(plan);
        }
        if (!plan.hasChanges()) {
            return new DnsApplyReport(plan, false);
        }
        for (DnsChange change : plan.writes()) {
            if (change.after().ttl() < minimumTtl) {
                throw new IllegalArgumentException("TTL of " + change.key() + " is " + change.after().ttl()
                        + ", below the zone's minimum " + minimumTtl + "; plan with plan(DesiredDns)");
            }
        }
        update(plan.domain(), live -> {
            List<DnsRecordSet.Key> stale = DnsPlanner.staleSets(plan, live.values());
            if (!stale.isEmpty()) {
                throw new StalePlanException(plan.domain(), stale);
            }
            plan.writes().forEach(c -> live.put(c.key(), c.after()));
            return live;
        });
        writeRequests.incrementAndGet();
        return new DnsApplyReport(plan, true);
    }

    /**
     * Sets the A and/or AAAA record set of the host name (TTL 60); a family not given stays. The host belongs to
     * the longest existing zone it ends with, or is a zone of its own.
     */
    @Override
    public DynDnsOutcome updateDynDns(DynDnsUpdate update) {
        String host = update.hostname().toLowerCase(Locale.ROOT);
        String domain = existingZones().stream()
                .filter(z -> host.equals(z) || host.endsWith("." + z))
                .max(Comparator.comparingInt(String::length))
                .orElse(host);
        String subname = host.equals(domain) ? "" : host.substring(0, host.length() - domain.length() - 1);
        update(domain, live -> {
            update.ipv4().ifPresent(a -> live.put(new DnsRecordSet.Key(subname, "A"),
                    DnsRecordSet.of(subname, "A", DYNDNS_TTL, a.getHostAddress())));
            update.ipv6().ifPresent(a -> live.put(new DnsRecordSet.Key(subname, "AAAA"),
                    DnsRecordSet.of(subname, "AAAA", DYNDNS_TTL, a.getHostAddress())));
            return live;
        });
        writeRequests.incrementAndGet();
        return new DynDnsOutcome(update, DynDnsOutcome.Action.UPDATED);
    }

    /** @return {@code 127.0.0.1}: the sandbox looks nothing up */
    @Override
    public Inet4Address discoverPublicIpv4() {
        try {
            return (Inet4Address) InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a literal address needs no lookup", e);
        }
    }

    /**
     * The zone as an RFC 1035 master file: {@code $ORIGIN}, {@code $TTL}, an SOA whose serial counts the zone's
     * writes, then every record set sorted by name and type, TXT values quoted and split into 255-byte strings.
     *
     * @param domain the zone
     * @return the zone file text
     */
    public String zoneFile(String domain) {
        String d = MailboxAddress.requireDomain(domain.toLowerCase(Locale.ROOT));
        long serial = SandboxFiles.readJson(zoneFile(zones, d)).map(j -> j.path("serial").asLong()).orElse(0L);
        StringBuilder out = new StringBuilder();
        out.append("$ORIGIN ").append(d).append(".\n");
        out.append("$TTL ").append(minimumTtl).append('\n');
        out.append(String.format(Locale.ROOT, "%-24s %6d IN %-5s %s%n", "@", minimumTtl, "SOA",
                "ns.sandbox.invalid. hostmaster." + d + ". " + serial + " 3600 600 604800 " + minimumTtl));
        List<DnsRecordSet> sets = new ArrayList<>(readZone(zones, d));
        sets.sort(Comparator.comparing(DnsRecordSet::subname).thenComparing(DnsRecordSet::type));
        for (DnsRecordSet set : sets) {
            for (String record : set.records().stream().sorted().toList()) {
                out.append(String.format(Locale.ROOT, "%-24s %6d IN %-5s %s%n",
                        set.subname().isEmpty() ? "@" : set.subname(), set.ttl(), set.type(),
                        set.type().equals("TXT") ? quoted(record) : record));
            }
        }
        return out.toString();
    }

    private static String quoted(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<String> chunks = new ArrayList<>();
        int start = 0;
        do {
            int end = Math.min(bytes.length, start + 255);
            while (end < bytes.length && end > start + 1 && (bytes[end] & 0xC0) == 0x80) {
                end--; // never split a UTF-8 sequence
            }
            String chunk = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            chunks.add('"' + chunk.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
            start = end;
        } while (start < bytes.length);
        return String.join(" ", chunks);
    }

    /** Test seam: puts record sets into the zone without counting a write (someone else's change). */
    void seed(String domain, List<DnsRecordSet> sets) {
        update(domain, live -> {
            sets.forEach(s -> live.put(s.key(), s));
            return live;
        });
    }

    /** @return how many write requests this manager made (applies with changes, DynDNS updates) */
    long writeRequests() {
        return writeRequests.get();
    }

    @Override
    public void close() {
        // no resources held
    }

    @Override
    public String toString() {
        return "SandboxDnsManager[" + zones + ", minimumTtl=" + minimumTtl + "]";
    }

    private List<String> existingZones() {
        try (Stream<Path> files = Files.list(zones)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.startsWith("."))
                    .map(n -> n.substring(0, n.length() - ".json".length())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + zones + ": " + e.getMessage(), e);
        }
    }

    /** Read-modify-write of one zone under the JVM monitor and the zone's lock file. */
    private void update(String domain, UnaryOperator<Map<DnsRecordSet.Key, DnsRecordSet>> change) {
        String d = MailboxAddress.requireDomain(domain.toLowerCase(Locale.ROOT));
        Path file = zoneFile(zones, d);
        synchronized (JVM_LOCKS.computeIfAbsent(file, f -> new Object())) {
            try (FileChannel lockFile = FileChannel.open(zones.resolve("." + d + ".lock"),
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), SandboxFiles.fileAttributes());
                    FileLock lock = lockFile.lock()) {
                long serial = SandboxFiles.readJson(file).map(j -> j.path("serial").asLong()).orElse(0L);
                Map<DnsRecordSet.Key, DnsRecordSet> live = new LinkedHashMap<>();
                readZone(zones, d).forEach(s -> live.put(s.key(), s));
                Map<DnsRecordSet.Key, DnsRecordSet> after = change.apply(live);
                ObjectNode json = SandboxFiles.JSON.createObjectNode();
                json.put("domain", d);
                json.put("serial", serial + 1);
                ArrayNode sets = json.putArray("recordSets");
                for (DnsRecordSet s : after.values()) {
                    ObjectNode o = sets.addObject();
                    o.put("subname", s.subname());
                    o.put("type", s.type());
                    o.put("ttl", s.ttl());
                    ArrayNode records = o.putArray("records");
                    s.records().forEach(records::add);
                }
                SandboxFiles.write(file, SandboxFiles.json(json));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot update the sandbox zone " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static Path zoneFile(Path zones, String domain) {
        return zones.resolve(domain + ".json");
    }

    /** Reads a zone's record sets; an unknown zone is empty. */
    static List<DnsRecordSet> readZone(Path zones, String domain) {
        String d = MailboxAddress.requireDomain(domain.toLowerCase(Locale.ROOT));
        Path file = zoneFile(zones, d);
        return SandboxFiles.readJson(file).map(json -> {
            List<DnsRecordSet> out = new ArrayList<>();
            try {
                for (JsonNode s : json.path("recordSets")) {
                    List<String> records = new ArrayList<>();
                    s.path("records").forEach(r -> records.add(r.asText()));
                    out.add(new DnsRecordSet(s.path("subname").asText(), s.path("type").asText(), s.path("ttl").asInt(),
                            records));
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("the sandbox zone " + file + " holds an invalid record set ("
                        + e.getMessage() + "); delete the file to start the zone afresh");
            }
            return List.copyOf(out);
        }).orElse(List.of());
    }

    /** Builds a {@link SandboxDnsManager}. */
    public static final class Builder {
        private final Path directory;
        private int minimumTtl = 3600;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /**
         * @param seconds the smallest TTL the zones accept, default 3600 (deSEC's usual minimum)
         * @return this builder
         */
        public Builder minimumTtl(int seconds) {
            if (seconds < 1) {
                throw new IllegalArgumentException("minimumTtl must be positive, got " + seconds);
            }
            this.minimumTtl = seconds;
            return this;
        }

        /** @return the manager */
        public SandboxDnsManager build() {
            return new SandboxDnsManager(this);
        }
    }
}
