package io.azt3knet.mail.dns;

import java.util.List;
import java.util.Objects;

/**
 * The change from a zone's live state to the desired one, computed before anything is written. Each
 * managed record set appears once, with its before and after values. A plan without writes is applied
 * without a single request.
 *
 * @param domain the zone
 * @param changes one entry per managed record set
 * @param notes adjustments the planner made, e.g. a TTL raised to the domain's minimum
 */
public record DnsPlan(String domain, List<DnsChange> changes, List<String> notes) {

    /** Validates that nothing is null and no record set appears twice. */
    public DnsPlan {
        Objects.requireNonNull(domain, "domain");
        changes = List.copyOf(changes);
        notes = List.copyOf(notes);
        if (changes.stream().map(DnsChange::key).distinct().count() != changes.size()) {
            throw new IllegalArgumentException("a record set appears twice in the plan for " + domain);
        }
    }

    /** @return the changes that write something */
    public List<DnsChange> writes() {
        return changes.stream().filter(DnsChange::isWrite).toList();
    }

    /** @return the record sets the plan must not write (see {@link DnsChange.Action#CONFLICT}); the notes explain each */
    public List<DnsChange> conflicts() {
        return changes.stream().filter(c -> c.action() == DnsChange.Action.CONFLICT).toList();
    }

    /** @return whether the plan holds a conflict, in which case applying it is refused and writes nothing */
    public boolean hasConflicts() {
        return changes.stream().anyMatch(c -> c.action() == DnsChange.Action.CONFLICT);
    }

    /** @return whether applying the plan writes anything */
    public boolean hasChanges() {
        return changes.stream().anyMatch(DnsChange::isWrite);
    }

    /** @return a human-readable rendering, one line per record set, then the notes */
    public String render() {
        StringBuilder sb = new StringBuilder("DNS plan for ").append(domain).append(':');
        for (DnsChange c : changes) {
            sb.append("\n  ").append(String.format("%-9s", c.action())).append(' ').append(c.key());
            boolean conflict = c.action() == DnsChange.Action.CONFLICT;
            c.before().filter(b -> c.isWrite() || conflict).ifPresent(b ->
                    sb.append("\n      ").append(conflict ? "live:   " : "before: ").append("ttl=").append(b.ttl())
                            .append(' ').append(b.records()));
            sb.append("\n      ").append(c.isWrite() ? "after:  " : conflict ? "wanted: " : "value:  ").append("ttl=")
                    .append(c.after().ttl()).append(' ').append(c.after().records());
        }
        notes.forEach(n -> sb.append("\n  note: ").append(n));
        if (hasConflicts()) {
            sb.append("\n  ").append(conflicts().size()).append(" conflict(s): this plan is refused, nothing is written");
        } else if (!hasChanges()) {
            sb.append("\n  nothing to change");
        }
        return sb.toString();
    }
}
