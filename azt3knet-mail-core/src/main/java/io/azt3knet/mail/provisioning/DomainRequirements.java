package io.azt3knet.mail.provisioning;

import io.azt3knet.mail.MailboxAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a mail provider needs in a domain's DNS. Names are relative to the domain ({@code ""} is the apex),
 * host names carry no trailing dot, TXT values are the logical text (not quoted, not split).
 *
 * @param domain the domain
 * @param mxHosts the inbound MX targets, most preferred first
 * @param spfInclude the SPF mechanism to merge into the domain's SPF record, e.g. {@code include:spf.mailjet.com}
 * @param dkim the DKIM TXT record
 * @param ownership the ownership-proof TXT record, if the provider wants one
 */
public record DomainRequirements(String domain, List<String> mxHosts, String spfInclude, TxtRecord dkim,
        Optional<TxtRecord> ownership) {

    /** Validates the requirements. */
    public DomainRequirements {
        MailboxAddress.requireDomain(domain);
        mxHosts = List.copyOf(mxHosts);
        if (mxHosts.isEmpty()) {
            throw new IllegalArgumentException("at least one MX host is required");
        }
        mxHosts.forEach(h -> MailboxAddress.requireDomain(h));
        Objects.requireNonNull(spfInclude, "spfInclude");
        if (!spfInclude.matches("(include|a|mx|ip4|ip6|exists|redirect)[:=]?[^\\s]*")) {
            throw new IllegalArgumentException("not an SPF mechanism: " + spfInclude);
        }
        Objects.requireNonNull(dkim, "dkim");
        Objects.requireNonNull(ownership, "ownership");
    }

    /**
     * A TXT record.
     *
     * @param name the owner name relative to the domain ({@code ""} for the apex)
     * @param value the logical text
     */
    public record TxtRecord(String name, String value) {

        /** Validates the record. */
        public TxtRecord {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (!name.isEmpty() && !name.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)*")) {
                throw new IllegalArgumentException("invalid relative record name: '" + name + "'");
            }
            if (value.isEmpty()) {
                throw new IllegalArgumentException("TXT value of '" + name + "' is empty");
            }
        }

        /**
         * Makes a name relative to a domain, whether it was given relative or fully qualified.
         *
         * @param name {@code sel._domainkey}, {@code sel._domainkey.example.org} or with a trailing dot
         * @param domain the domain
         * @return the relative name, {@code ""} for the apex
         */
        public static String relativize(String name, String domain) {
            String n = name.strip().toLowerCase(java.util.Locale.ROOT);
            if (n.endsWith(".")) {
                n = n.substring(0, n.length() - 1);
            }
            String d = domain.toLowerCase(java.util.Locale.ROOT);
            if (n.equals(d)) {
                return "";
            }
            if (n.endsWith("." + d)) {
                return n.substring(0, n.length() - d.length() - 1);
            }
            return n;
        }
    }
}
