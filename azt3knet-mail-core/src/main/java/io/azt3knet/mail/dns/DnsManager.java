package io.azt3knet.mail.dns;

import io.azt3knet.mail.StalePlanException;
import java.net.Inet4Address;
import java.util.List;

/**
 * Reads a zone, plans changes, applies them atomically, and keeps a dynamic address fresh.
 *
 * <p>Contract (checked by the core's {@code DnsManagerContractTest} for every implementation):
 * <ul>
 *   <li>{@link #plan(DesiredDns)} reads the live zone and writes nothing;</li>
 *   <li>only the record sets named by the desired state are ever touched; at the apex, only the SPF
 *       string of the TXT set changes, other TXT records stay;</li>
 *   <li>{@link #apply(DnsPlan)} writes every change of the plan in one atomic request, or nothing; a plan
 *       without changes makes no request; a plan whose live state changed meanwhile is refused with
 *       {@link StalePlanException}; a plan holding a conflict (a foreign apex MX, a CNAME at a managed name)
 *       is refused with {@link io.azt3knet.mail.DnsConflictException} before any request;</li>
 *   <li>TTLs are never below the domain's minimum: the plan raises them and notes it.</li>
 * </ul>
 */
public interface DnsManager extends AutoCloseable {

    /** @return the provider's name, e.g. {@code "desec"} */
    String providerName();

    /**
     * @param domain the zone
     * @return every record set of the zone (in logical form, see {@link DnsRecordSet})
     */
    List<DnsRecordSet> recordSets(String domain);

    /**
     * @param domain the zone
     * @return the smallest TTL the provider accepts in that zone
     */
    int minimumTtl(String domain);

    /**
     * Computes the change from the live zone to the desired state. Writes nothing: this is the dry run.
     *
     * @param desired the desired managed record sets
     * @return the plan
     */
    DnsPlan plan(DesiredDns desired);

    /**
     * Applies a plan in one atomic request; makes none when the plan has no changes.
     *
     * @param plan a plan from {@link #plan(DesiredDns)}
     * @return what was done
     * @throws StalePlanException if a managed record set changed since planning
     * @throws io.azt3knet.mail.DnsConflictException if the plan holds a conflict; nothing is written
     */
    DnsApplyReport apply(DnsPlan plan);

    /**
     * Points a dynamic host name at new addresses; families not given are preserved.
     *
     * @param update the update
     * @return what was done
     */
    DynDnsOutcome updateDynDns(DynDnsUpdate update);

    /** @return this machine's public IPv4 address, as the provider's check-IP service sees it */
    Inet4Address discoverPublicIpv4();

    /** Releases resources. Does not throw checked exceptions. */
    @Override
    void close();
}
