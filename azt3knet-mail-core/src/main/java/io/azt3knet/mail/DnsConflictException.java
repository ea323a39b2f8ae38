package io.azt3knet.mail;

import java.util.List;

/**
 * A DNS plan cannot be applied because a record set it manages conflicts with what someone else put in the
 * zone: an MX at the apex that points at another mail service (a person's mailbox provider on the same
 * domain), or a CNAME at a name the plan writes (a name with a CNAME can hold no other record). Nothing was
 * written. Each conflict is described in {@link #conflicts()} and in the plan's rendering; resolve it in the
 * zone, or take the apex MX over explicitly ({@code MailDnsOptions.withReplaceMx(true)},
 * {@code dns-bootstrap --replace-mx}).
 */
public final class DnsConflictException extends MailException {

    private static final long serialVersionUID = 1L;

    private final List<String> conflicts;

    /**
     * @param domain the zone
     * @param conflicts one line per conflicting record set; not empty
     */
    public DnsConflictException(String domain, List<String> conflicts) {
        super("the DNS plan for " + domain + " has " + conflicts.size() + " conflict(s), nothing was written: "
                + String.join("; ", conflicts));
        if (conflicts.isEmpty()) {
            throw new IllegalArgumentException("a conflict exception needs at least one conflict");
        }
        this.conflicts = List.copyOf(conflicts);
    }

    /** @return one line per conflicting record set */
    public List<String> conflicts() {
        return conflicts;
    }
}
