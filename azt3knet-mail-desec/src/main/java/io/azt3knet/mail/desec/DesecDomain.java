package io.azt3knet.mail.desec;

import io.azt3knet.mail.MailboxAddress;

/**
 * A domain of the deSEC account.
 *
 * @param name the domain name, lower case
 * @param minimumTtl the smallest TTL deSEC accepts for its record sets (set per domain by deSEC)
 */
public record DesecDomain(String name, int minimumTtl) {

    /** Validates the domain. */
    public DesecDomain {
        MailboxAddress.requireDomain(name);
        if (minimumTtl < 1) {
            throw new IllegalArgumentException("minimum_ttl must be positive, got " + minimumTtl);
        }
    }
}
