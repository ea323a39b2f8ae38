package io.azt3knet.mail.dns;

import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.provisioning.DomainRequirements;
import io.azt3knet.mail.provisioning.UnregisteredDomain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The managed part of a zone as it should be: exact record sets (replaced as a whole when they differ),
 * record sets that are only created when missing (an existing one is kept as it is, e.g. a DMARC policy
 * someone made stricter), plus SPF mechanisms to merge into the apex SPF record (which is never replaced:
 * its other mechanisms, its {@code all} qualifier and the apex's other TXT records are kept).
 *
 * @param domain the zone
 * @param recordSets record sets to hold exactly these records (at most one per name and type;
 *     not the apex TXT set, which the SPF merge owns)
 * @param createIfAbsent record sets created when the zone has no set of that name and type, and otherwise
 *     left as they are (never a name and type that {@code recordSets} also holds, nor the apex TXT set)
 * @param spfMechanisms mechanisms the apex SPF record must contain, e.g. {@code include:spf.mailjet.com};
 *     empty to leave SPF alone
 * @param spfDefaultAll the {@code all} term of a newly created SPF record, e.g. {@code ~all}
 * @param ttl the TTL of the apex TXT set when the SPF merge creates it (each exact record set carries its
 *     own TTL; both are raised to the domain's minimum if lower)
 * @param replaceForeignMx whether a desired apex MX set replaces a live one that names other hosts (another
 *     mail service on the same domain); when false (the default) such an MX is a
 *     {@link DnsChange.Action#CONFLICT} and the plan is refused
 */
public record DesiredDns(String domain, List<DnsRecordSet> recordSets, List<DnsRecordSet> createIfAbsent,
        List<String> spfMechanisms, String spfDefaultAll, int ttl, boolean replaceForeignMx) {

    private static final String DMARC_NAME = "_dmarc";
    private static final DnsRecordSet.Key APEX_TXT = new DnsRecordSet.Key("", "TXT");

    /** Validates the desired state. */
    public DesiredDns {
        MailboxAddress.requireDomain(domain);
        recordSets = List.copyOf(recordSets);
        createIfAbsent = List.copyOf(createIfAbsent);
        spfMechanisms = List.copyOf(spfMechanisms);
        spfMechanisms.forEach(SpfMechanism::require);
        Objects.requireNonNull(spfDefaultAll, "spfDefaultAll");
        if (!spfDefaultAll.matches("[-~+?]?all")) {
            throw new IllegalArgumentException("spfDefaultAll must be one of all, -all, ~all, ?all, +all");
        }
        List<DnsRecordSet.Key> keys = new ArrayList<>();
        recordSets.forEach(r -> keys.add(r.key()));
        createIfAbsent.forEach(r -> keys.add(r.key()));
        if (keys.stream().distinct().count() != keys.size()) {
            throw new IllegalArgumentException("a record set is desired twice (in recordSets or createIfAbsent)");
        }
        if (!spfMechanisms.isEmpty() && keys.contains(APEX_TXT)) {
            throw new IllegalArgumentException("the apex TXT set is managed by the SPF merge; do not desire it as a record set");
        }
        if (ttl < 1) {
            throw new IllegalArgumentException("ttl must be positive");
        }
    }

    /**
     * A desired state that never replaces a foreign apex MX.
     *
     * @param domain the zone
     * @param recordSets record sets to hold exactly these records
     * @param createIfAbsent record sets created when absent
     * @param spfMechanisms mechanisms the apex SPF record must contain; empty to leave SPF alone
     * @param spfDefaultAll the {@code all} term of a newly created SPF record
     * @param ttl the TTL of the apex TXT set when the SPF merge creates it
     */
    public DesiredDns(String domain, List<DnsRecordSet> recordSets, List<DnsRecordSet> createIfAbsent,
            List<String> spfMechanisms, String spfDefaultAll, int ttl) {
        this(domain, recordSets, createIfAbsent, spfMechanisms, spfDefaultAll, ttl, false);
    }

    /**
     * A desired state without create-if-absent record sets.
     *
     * @param domain the zone
     * @param recordSets record sets to hold exactly these records
     * @param spfMechanisms mechanisms the apex SPF record must contain; empty to leave SPF alone
     * @param spfDefaultAll the {@code all} term of a newly created SPF record
     * @param ttl the TTL of the apex TXT set when the SPF merge creates it
     */
    public DesiredDns(String domain, List<DnsRecordSet> recordSets, List<String> spfMechanisms, String spfDefaultAll,
            int ttl) {
        this(domain, recordSets, List.of(), spfMechanisms, spfDefaultAll, ttl);
    }

    /**
     * The DNS a mail provider needs, as a desired state: MX at the apex ({@code "10 host."}, {@code "20 host2."}
     * in the provider's order of preference), the DKIM TXT and the ownership TXT at their names, DMARC at
     * {@code _dmarc}, optionally {@code mail} A, and the provider's SPF mechanism merged into the apex SPF record.
     *
     * <p>DMARC is created only when {@code _dmarc} has no TXT set yet ({@link #createIfAbsent()}): an existing
     * policy, perhaps made stricter by hand ({@code p=reject; rua=...}), is kept, so that a bootstrap run from cron
     * never weakens it. With {@link MailDnsOptions#enforceDmarc()} the DMARC record of the options replaces
     * whatever is there ({@link #recordSets()}).
     *
     * <pre>{@code
     * DesiredDns desired = DesiredDns.forMail(provisioner.prepareDomain(domain), MailDnsOptions.defaults());
     * DnsPlan plan = dnsManager.plan(desired);
     * }</pre>
     *
     * @param requirements what the provider needs in the domain
     * @param options DMARC policy, TTL, optional {@code mail} address, SPF default
     * @return the desired state
     * @throws IllegalArgumentException if the provider wants a TXT record at the apex (the SPF merge owns that
     *     set; replacing it would drop the domain's other apex TXT records)
     */
    public static DesiredDns forMail(DomainRequirements requirements, MailDnsOptions options) {
        List<DomainRequirements.TxtRecord> wanted = new ArrayList<>();
        wanted.add(requirements.dkim());
        requirements.ownership().ifPresent(wanted::add);
        return forMail(requirements.domain(), requirements.mxHosts(), requirements.spfInclude(), wanted, options);
    }

    /**
     * The desired mail DNS of a domain the provider does not know yet: as {@link #forMail(DomainRequirements,
     * MailDnsOptions)} without the DKIM and ownership records, which are known only after registration. For
     * plans that are shown, not applied.
     *
     * @param domain what the provider will need, as far as known before registration
     * @param options DMARC policy, TTL, optional {@code mail} address, SPF default
     * @return the desired state, DKIM and ownership left out
     */
    public static DesiredDns forMailBeforeRegistration(UnregisteredDomain domain, MailDnsOptions options) {
        return forMail(domain.domain(), domain.mxHosts(), domain.spfInclude(), new ArrayList<>(), options);
    }

    private static DesiredDns forMail(String domain, List<String> mxHosts, String spfInclude,
            List<DomainRequirements.TxtRecord> wanted, MailDnsOptions options) {
        int ttl = options.ttl();
        List<DnsRecordSet> sets = new ArrayList<>();
        List<String> mx = new ArrayList<>();
        for (int i = 0; i < mxHosts.size(); i++) {
            mx.add((i + 1) * 10 + " " + mxHosts.get(i) + ".");
        }
        sets.add(new DnsRecordSet("", "MX", ttl, mx));
        Map<String, List<String>> txt = new LinkedHashMap<>();
        DomainRequirements.TxtRecord dmarc = new DomainRequirements.TxtRecord(DMARC_NAME, options.dmarcRecord());
        // a provider that wants its own TXT at _dmarc (none known) makes that set exact, DMARC included
        boolean dmarcExact = options.enforceDmarc() || wanted.stream().anyMatch(r -> r.name().equals(DMARC_NAME));
        if (dmarcExact) {
            wanted.add(dmarc);
        }
        for (DomainRequirements.TxtRecord r : wanted) {
            if (r.name().isEmpty()) {
                throw new IllegalArgumentException("a TXT record at the apex of " + domain
                        + " cannot be managed as an exact set: the apex TXT set is shared (SPF merge, other records)");
            }
            List<String> values = txt.computeIfAbsent(r.name(), n -> new ArrayList<>());
            if (!values.contains(r.value())) {
                values.add(r.value());
            }
        }
        txt.forEach((name, values) -> sets.add(new DnsRecordSet(name, "TXT", ttl, values)));
        options.mailHostAddress().ifPresent(a -> sets.add(DnsRecordSet.of("mail", "A", ttl, a.getHostAddress())));
        List<DnsRecordSet> ifAbsent = dmarcExact ? List.of() : List.of(DnsRecordSet.of(DMARC_NAME, "TXT", ttl, dmarc.value()));
        return new DesiredDns(domain, sets, ifAbsent, List.of(spfInclude),
                options.spfDefaultAll(), ttl, options.replaceMx());
    }
}
