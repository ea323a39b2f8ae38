package io.azt3knet.mail.dns;

import io.azt3knet.mail.StalePlanException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Computes a {@link DnsPlan} from a desired state and a zone's live record sets. Stateless and
 * provider-neutral: every {@link DnsManager} plans with it, so the comparison and the SPF merge exist once.
 *
 * <p>Rules:
 * <ul>
 *   <li>Each exact record set of {@link DesiredDns#recordSets()} is {@code CREATE}d when absent,
 *       {@code UNCHANGED} when the live set holds the same records (in any order) with the same TTL, and
 *       {@code UPDATE}d otherwise.</li>
 *   <li>Each record set of {@link DesiredDns#createIfAbsent()} is {@code CREATE}d when absent and otherwise
 *       {@code UNCHANGED}, whatever it holds: the live set is kept, and when it differs from the desired one the
 *       plan notes that it was kept (for example an existing, stricter DMARC policy).</li>
 *   <li>A desired TTL below the zone's minimum is raised to the minimum before comparing, and the plan
 *       carries a note saying so. Providers refuse lower TTLs, so this is never an error.</li>
 *   <li>When {@link DesiredDns#spfMechanisms()} is not empty, the apex TXT set is planned by merging:
 *       missing mechanisms are inserted into the existing {@code v=spf1} record just before its
 *       {@code all} or {@code redirect=} term (or at its end); every other term, the {@code all} qualifier
 *       and every other TXT record at the apex are kept; several SPF records are merged into one (two SPF
 *       records make SPF fail with a permanent error); with no SPF record, one is added as
 *       {@code v=spf1 <mechanisms> <spfDefaultAll>}. The apex TXT keeps its live TTL (raised to the
 *       minimum if lower) and is only written when its records change.</li>
 *   <li>Only the record sets named by the desired state appear in the plan; nothing is ever deleted.</li>
 *   <li>Conflicts ({@link DnsChange.Action#CONFLICT}, explained in the notes, and the whole plan is then
 *       refused by {@link DnsManager#apply}): a live apex MX naming a host the desired MX does not (another
 *       mail service receives this domain's mail), unless {@link DesiredDns#replaceForeignMx()}; and a CNAME
 *       at any name the plan writes (such a name can hold no other record; the provider would refuse the whole
 *       atomic write).</li>
 * </ul>
 *
 * <pre>{@code
 * DnsPlan plan = DnsPlanner.plan(desired, liveRecordSets, 3600);
 * System.out.println(plan.render());
 * }</pre>
 */
public final class DnsPlanner {

    private static final DnsRecordSet.Key APEX_TXT = new DnsRecordSet.Key("", "TXT");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private DnsPlanner() {
    }

    /**
     * Plans the change from the live zone to the desired state.
     *
     * @param desired the desired managed record sets
     * @param live every record set of the zone as it is now (at most one per name and type)
     * @param minimumTtl the smallest TTL the zone accepts
     * @return the plan, one change per managed record set, in the order of the desired state (exact sets, then
     *     create-if-absent sets, the apex TXT last)
     * @throws IllegalArgumentException if {@code live} holds two sets with the same name and type, or
     *     {@code minimumTtl} is not positive
     */
    public static DnsPlan plan(DesiredDns desired, Collection<DnsRecordSet> live, int minimumTtl) {
        Objects.requireNonNull(desired, "desired");
        if (minimumTtl < 1) {
            throw new IllegalArgumentException("minimumTtl must be positive, got " + minimumTtl);
        }
        Map<DnsRecordSet.Key, DnsRecordSet> liveByKey = new LinkedHashMap<>();
        for (DnsRecordSet rs : live) {
            if (liveByKey.put(rs.key(), rs) != null) {
                throw new IllegalArgumentException("the live zone holds " + rs.key() + " twice");
            }
        }
        Map<String, DnsRecordSet> cnames = new LinkedHashMap<>();
        liveByKey.values().stream().filter(rs -> rs.type().equals("CNAME")).forEach(rs -> cnames.put(rs.subname(), rs));
        List<DnsChange> changes = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (DnsRecordSet wanted : desired.recordSets()) {
            int ttl = raise(wanted.key(), wanted.ttl(), minimumTtl, notes);
            Optional<DnsRecordSet> before = Optional.ofNullable(liveByKey.get(wanted.key()));
            if (cnameConflict(wanted, cnames, notes)) {
                changes.add(new DnsChange(wanted.key(), DnsChange.Action.CONFLICT, before, wanted.withTtl(ttl)));
            } else if (foreignMx(wanted, before, desired.replaceForeignMx(), notes)) {
                changes.add(new DnsChange(wanted.key(), DnsChange.Action.CONFLICT, before, wanted.withTtl(ttl)));
            } else {
                changes.add(compare(wanted.withTtl(ttl), before));
            }
        }
        for (DnsRecordSet wanted : desired.createIfAbsent()) {
            DnsRecordSet existing = liveByKey.get(wanted.key());
            if (cnameConflict(wanted, cnames, notes)) {
                changes.add(new DnsChange(wanted.key(), DnsChange.Action.CONFLICT, Optional.ofNullable(existing),
                        wanted));
            } else if (existing == null) {
                int ttl = raise(wanted.key(), wanted.ttl(), minimumTtl, notes);
                changes.add(compare(wanted.withTtl(ttl), Optional.empty()));
            } else {
                if (!existing.sameRecords(wanted)) {
                    notes.add("kept the existing " + wanted.key() + " " + existing.records() + " instead of "
                            + wanted.records() + ": it is only created when absent");
                }
                changes.add(new DnsChange(wanted.key(), DnsChange.Action.UNCHANGED, Optional.of(existing), existing));
            }
        }
        if (!desired.spfMechanisms().isEmpty()) {
            changes.add(planSpf(desired, Optional.ofNullable(liveByKey.get(APEX_TXT)), minimumTtl, notes));
        }
        return new DnsPlan(desired.domain(), changes, notes);
    }

    /**
     * Finds the record sets of a plan whose live state is no longer what the plan saw: a set the plan creates
     * exists now, or a set it saw differs in records or TTL, or is gone. Managers call this right before
     * writing and refuse the plan with {@link StalePlanException} when the list is not empty.
     *
     * @param plan a plan
     * @param live the zone's record sets as they are now (at least those the plan names)
     * @return the keys of the stale record sets, in the plan's order; empty when the plan is current
     */
    public static List<DnsRecordSet.Key> staleSets(DnsPlan plan, Collection<DnsRecordSet> live) {
        Map<DnsRecordSet.Key, DnsRecordSet> liveByKey = new LinkedHashMap<>();
        live.forEach(rs -> liveByKey.put(rs.key(), rs));
        List<DnsRecordSet.Key> stale = new ArrayList<>();
        for (DnsChange change : plan.changes()) {
            Optional<DnsRecordSet> now = Optional.ofNullable(liveByKey.get(change.key()));
            boolean same = change.before().isEmpty() || now.isEmpty()
                    ? change.before().isEmpty() && now.isEmpty()
                    : change.before().get().ttl() == now.get().ttl() && change.before().get().sameRecords(now.get());
            if (!same) {
                stale.add(change.key());
            }
        }
        return stale;
    }

    /** A CNAME at the desired set's name (other than a desired CNAME itself): nothing else may live there. */
    private static boolean cnameConflict(DnsRecordSet wanted, Map<String, DnsRecordSet> cnames, List<String> notes) {
        DnsRecordSet cname = cnames.get(wanted.subname());
        if (cname == null || wanted.type().equals("CNAME")) {
            return false;
        }
        notes.add("conflict: " + wanted.key() + " cannot be written because " + display(wanted.subname())
                + " is a CNAME to " + cname.records() + " (a name with a CNAME holds no other record); remove "
                + "the CNAME, or publish the record at its target, then plan again");
        return true;
    }

    /** A live apex MX that names a host the desired one does not: another mail service receives there. */
    private static boolean foreignMx(DnsRecordSet wanted, Optional<DnsRecordSet> before, boolean replace,
            List<String> notes) {
        if (!wanted.type().equals("MX") || !wanted.subname().isEmpty() || before.isEmpty()) {
            return false;
        }
        List<String> ours = wanted.records().stream().map(DnsPlanner::mxHost).toList();
        List<String> foreign = before.get().records().stream().map(DnsPlanner::mxHost)
                .filter(h -> !ours.contains(h)).toList();
        if (foreign.isEmpty()) {
            return false;
        }
        if (replace) {
            notes.add("replacing the apex MX " + foreign + " (another mail service) as asked");
            return false;
        }
        notes.add("conflict: the apex MX points at " + foreign + ", not at the mail provider's " + ours
                + "; mail to this domain is received elsewhere and would be lost there. Nothing is written. Use a "
                + "subdomain for agents, or take the domain's mail over explicitly (--replace-mx, "
                + "MailDnsOptions.withReplaceMx(true))");
        return true;
    }

    /** The host of an MX record ({@code "10 mx.example.org."}), lower case, without the trailing dot. */
    private static String mxHost(String record) {
        String[] parts = WHITESPACE.split(record.strip());
        String host = parts[parts.length - 1].toLowerCase(Locale.ROOT);
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private static String display(String subname) {
        return subname.isEmpty() ? "the apex" : "'" + subname + "'";
    }

    /**
     * @param plan a plan with conflicts
     * @return the exception refusing it, listing each conflict as the plan's notes explain it
     */
    public static io.azt3knet.mail.DnsConflictException conflicts(DnsPlan plan) {
        List<String> explained = plan.notes().stream().filter(n -> n.startsWith("conflict: "))
                .map(n -> n.substring("conflict: ".length())).toList();
        return new io.azt3knet.mail.DnsConflictException(plan.domain(), explained.isEmpty()
                ? plan.conflicts().stream().map(c -> c.key() + " conflicts with the live zone").toList() : explained);
    }

    private static DnsChange compare(DnsRecordSet after, Optional<DnsRecordSet> before) {
        if (before.isEmpty()) {
            return new DnsChange(after.key(), DnsChange.Action.CREATE, before, after);
        }
        DnsRecordSet b = before.get();
        boolean same = b.ttl() == after.ttl() && b.sameRecords(after);
        return same
                ? new DnsChange(after.key(), DnsChange.Action.UNCHANGED, before, b)
                : new DnsChange(after.key(), DnsChange.Action.UPDATE, before, after);
    }

    private static DnsChange planSpf(DesiredDns desired, Optional<DnsRecordSet> before, int minimumTtl,
            List<String> notes) {
        if (before.isEmpty()) {
            String spf = "v=spf1 " + String.join(" ", desired.spfMechanisms()) + " " + desired.spfDefaultAll();
            int ttl = raise(APEX_TXT, desired.ttl(), minimumTtl, notes);
            return compare(new DnsRecordSet("", "TXT", ttl, List.of(spf)), before);
        }
        DnsRecordSet live = before.get();
        List<String> merged = mergeSpf(live.records(), desired.spfMechanisms(), desired.spfDefaultAll());
        if (merged.equals(live.records())) {
            return new DnsChange(APEX_TXT, DnsChange.Action.UNCHANGED, before, live);
        }
        int ttl = raise(APEX_TXT, live.ttl(), minimumTtl, notes);
        return new DnsChange(APEX_TXT, DnsChange.Action.UPDATE, before, new DnsRecordSet("", "TXT", ttl, merged));
    }

    private static int raise(DnsRecordSet.Key key, int ttl, int minimumTtl, List<String> notes) {
        if (ttl >= minimumTtl) {
            return ttl;
        }
        notes.add("TTL of " + key + " raised from " + ttl + " to " + minimumTtl + ", the zone's minimum");
        return minimumTtl;
    }

    /**
     * Merges SPF mechanisms into a TXT record set's records.
     *
     * @param records the TXT records at the apex, logical text
     * @param mechanisms mechanisms that must be present
     * @param defaultAll the {@code all} term of a new SPF record
     * @return the records with exactly one SPF record that holds every mechanism; {@code records} itself
     *     (equal content) when nothing needs to change
     */
    static List<String> mergeSpf(List<String> records, List<String> mechanisms, String defaultAll) {
        List<Integer> spfIndexes = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (isSpf(records.get(i))) {
                spfIndexes.add(i);
            }
        }
        if (spfIndexes.isEmpty()) {
            List<String> out = new ArrayList<>(records);
            out.add("v=spf1 " + String.join(" ", mechanisms) + " " + defaultAll);
            return out;
        }
        List<String> terms = new ArrayList<>(terms(records.get(spfIndexes.get(0))));
        for (int index : spfIndexes.subList(1, spfIndexes.size())) {
            for (String term : terms(records.get(index))) {
                boolean redundant = isTerminal(term) ? terms.stream().anyMatch(DnsPlanner::isTerminal) : contains(terms, term);
                if (!redundant) {
                    insertBeforeTerminal(terms, term);
                }
            }
        }
        for (String mechanism : mechanisms) {
            if (!contains(terms, mechanism)) {
                insertBeforeTerminal(terms, mechanism);
            }
        }
        if (spfIndexes.size() == 1 && terms.equals(terms(records.get(spfIndexes.get(0))))) {
            return records; // already complete: keep the record byte for byte (spacing, case)
        }
        List<String> out = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            if (i == spfIndexes.get(0)) {
                out.add("v=spf1 " + String.join(" ", terms));
            } else if (!spfIndexes.contains(i)) {
                out.add(records.get(i));
            }
        }
        return out;
    }

    /** RFC 7208 4.5: an SPF record starts with {@code v=spf1} followed by a space or the end. */
    static boolean isSpf(String txt) {
        String t = txt.strip().toLowerCase(Locale.ROOT);
        return t.equals("v=spf1") || t.startsWith("v=spf1 ");
    }

    private static List<String> terms(String spf) {
        String[] parts = WHITESPACE.split(spf.strip());
        return List.of(parts).subList(1, parts.length);
    }

    private static boolean isTerminal(String term) {
        String t = normalize(term);
        return t.matches("[-~?]?all") || t.startsWith("redirect=");
    }

    private static boolean contains(List<String> terms, String term) {
        String n = normalize(term);
        return terms.stream().anyMatch(t -> normalize(t).equals(n));
    }

    /** Mechanisms are case-insensitive, and {@code +} is the default qualifier. */
    private static String normalize(String term) {
        String t = term.toLowerCase(Locale.ROOT);
        return t.startsWith("+") ? t.substring(1) : t;
    }

    private static void insertBeforeTerminal(List<String> terms, String term) {
        for (int i = 0; i < terms.size(); i++) {
            if (isTerminal(terms.get(i))) {
                terms.add(i, term);
                return;
            }
        }
        terms.add(term);
    }
}
