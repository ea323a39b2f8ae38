package io.azt3knet.mail.provisioning;

import java.util.List;
import java.util.Objects;

/**
 * A provider's verdict on a domain's DNS, in its own words.
 *
 * @param domain the domain
 * @param dkim the DKIM check
 * @param spf the SPF check
 * @param senderValidated whether the provider now accepts the domain for sending
 * @param validationMessage the provider's message about validation (empty when none)
 */
public record DomainVerification(String domain, Check dkim, Check spf, boolean senderValidated,
        String validationMessage) {

    /** Validates that nothing is null. */
    public DomainVerification {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(dkim, "dkim");
        Objects.requireNonNull(spf, "spf");
        Objects.requireNonNull(validationMessage, "validationMessage");
    }

    /** @return whether DKIM and SPF check out and the sender is validated */
    public boolean isReady() {
        return dkim.status() == Status.OK && spf.status() == Status.OK && senderValidated;
    }

    /** A check's status. */
    public enum Status {
        /** The record is published and correct. */
        OK,
        /** The record is missing or wrong. */
        ERROR,
        /** The provider has not checked yet, or is checking. */
        NOT_CHECKED
    }

    /**
     * One record's check.
     *
     * @param status the status
     * @param errors the provider's own error strings
     * @param currentValues what the provider found published
     */
    public record Check(Status status, List<String> errors, List<String> currentValues) {

        /** Validates that nothing is null. */
        public Check {
            Objects.requireNonNull(status, "status");
            errors = List.copyOf(errors);
            currentValues = List.copyOf(currentValues);
        }
    }
}
