package io.azt3knet.mail;

import io.azt3knet.mail.dns.DnsRecordSet;

import java.util.List;

/**
 * The zone changed between planning and applying: a managed record set no longer holds what the plan
 * saw. Nothing was written. Plan again and review the new plan.
 */
public final class StalePlanException extends MailException {

    private static final long serialVersionUID = 1L;

    private final List<DnsRecordSet.Key> changedSets;

    /**
     * @param domain the zone
     * @param changedSets the record sets that changed since planning
     */
    public StalePlanException(String domain, List<DnsRecordSet.Key> changedSets) {
        super("the zone " + domain + " changed since the plan was made (" + changedSets
                + "); nothing was written, plan again");
        this.changedSets = List.copyOf(changedSets);
    }

    /** @return the record sets that changed since planning */
    public List<DnsRecordSet.Key> changedSets() {
        return changedSets;
    }
}
