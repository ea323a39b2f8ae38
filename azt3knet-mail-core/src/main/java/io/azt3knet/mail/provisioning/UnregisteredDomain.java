package io.azt3knet.mail.provisioning;

import io.azt3knet.mail.MailboxAddress;
import java.util.List;
import java.util.Objects;

/**
 * What a provider will need in the DNS of a domain it does not know yet, as far as that is known before the
 * domain is registered there: the MX hosts and the SPF mechanism. The DKIM key and the ownership token are made
 * at registration, so a dry run plans everything else and shows those two as known after registration.
 *
 * @param domain the domain
 * @param mxHosts the inbound MX hosts, most preferred first
 * @param spfInclude the SPF mechanism to merge into the domain's SPF record, e.g. {@code include:spf.mailjet.com}
 */
public record UnregisteredDomain(String domain, List<String> mxHosts, String spfInclude) {

    /** Validates like {@link DomainRequirements}. */
    public UnregisteredDomain {
        MailboxAddress.requireDomain(domain);
        mxHosts = List.copyOf(mxHosts);
        if (mxHosts.isEmpty()) {
            throw new IllegalArgumentException("at least one MX host is required");
        }
        mxHosts.forEach(MailboxAddress::requireDomain);
        Objects.requireNonNull(spfInclude, "spfInclude");
        if (!spfInclude.matches("(include|a|mx|ip4|ip6|exists|redirect)[:=]?[^\\s]*")) {
            throw new IllegalArgumentException("not an SPF mechanism: " + spfInclude);
        }
    }
}
