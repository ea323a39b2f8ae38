package io.azt3knet.mail.dns;

import java.util.Objects;

/**
 * What {@link DnsManager#apply(DnsPlan)} did.
 *
 * @param plan the plan applied
 * @param written whether a write request was made (false when the plan had nothing to change)
 */
public record DnsApplyReport(DnsPlan plan, boolean written) {

    /** Validates that the plan is given. */
    public DnsApplyReport {
        Objects.requireNonNull(plan, "plan");
    }
}
