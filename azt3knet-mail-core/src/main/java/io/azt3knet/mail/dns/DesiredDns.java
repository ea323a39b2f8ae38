package io.azt3knet.mail.dns;

import io.azt3knet.mail.MailboxAddress;
import java.util.List;
import java.util.Objects;

/**
 * The managed part of a zone as it should be: exact record sets (replaced as a whole when they differ)
 * plus SPF mechanisms to merge into the apex SPF record (which is never replaced: its other mechanisms,
 * its {@code all} qualifier and the apex's other TXT records are kept).
 *
 * @param domain the zone
 * @param recordSets record sets to hold exactly these records (at most one per name and type;
 *     not the apex TXT set, which the SPF merge owns)
 * @param spfMechanisms mechanisms the apex SPF record must contain, e.g. {@code include:spf.mailjet.com};
 *     empty to leave SPF alone
 * @param spfDefaultAll the {@code all} term of a newly created SPF record, e.g. {@code ~all}
 * @param ttl the TTL of created or updated record sets (raised to the domain's minimum if lower)
 */
public record DesiredDns(String domain, List<DnsRecordSet> recordSets, List<String> spfMechanisms,
        String spfDefaultAll, int ttl) {

    /** Validates the desired state. */
    public DesiredDns {
        MailboxAddress.requireDomain(domain);
        recordSets = List.copyOf(recordSets);
        spfMechanisms = List.copyOf(spfMechanisms);
        Objects.requireNonNull(spfDefaultAll, "spfDefaultAll");
        if (!spfDefaultAll.matches("[-~+?]?all")) {
            throw new IllegalArgumentException("spfDefaultAll must be one of all, -all, ~all, ?all, +all");
        }
        if (recordSets.stream().map(DnsRecordSet::key).distinct().count() != recordSets.size()) {
            throw new IllegalArgumentException("a record set is desired twice");
        }
        if (!spfMechanisms.isEmpty() && recordSets.stream().anyMatch(r -> r.key().equals(new DnsRecordSet.Key("", "TXT")))) {
            throw new IllegalArgumentException("the apex TXT set is managed by the SPF merge; do not desire it exactly");
        }
        if (ttl < 1) {
            throw new IllegalArgumentException("ttl must be positive");
        }
    }
}
