package io.azt3knet.mail.bootstrap;

import io.azt3knet.mail.dns.DnsPlan;
import io.azt3knet.mail.dns.DynDnsOutcome;
import io.azt3knet.mail.provisioning.DomainRequirements;
import io.azt3knet.mail.provisioning.DomainVerification;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a domain bootstrap did, step by step.
 *
 * @param domain the domain
 * @param dryRun whether this was a dry run
 * @param steps every step, in order
 * @param requirements what the provider needs in DNS, when it was asked
 * @param plan the DNS plan, when one was made
 * @param dnsWritten whether a DNS write was made
 * @param dynDns the DynDNS result, when a refresh was asked for
 * @param verification the provider's last verdict, when it was asked
 */
public record DomainReport(String domain, boolean dryRun, List<BootstrapStep> steps,
        Optional<DomainRequirements> requirements, Optional<DnsPlan> plan, boolean dnsWritten,
        Optional<DynDnsOutcome> dynDns, Optional<DomainVerification> verification) {

    /** Validates that nothing is null. */
    public DomainReport {
        Objects.requireNonNull(domain, "domain");
        steps = List.copyOf(steps);
        Objects.requireNonNull(requirements, "requirements");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(dynDns, "dynDns");
        Objects.requireNonNull(verification, "verification");
    }

    /** @return whether no step failed (pending verification is not a failure) */
    public boolean succeeded() {
        return steps.stream().noneMatch(s -> s.status() == BootstrapStep.Status.FAILED);
    }

    /** @return a human-readable rendering: the steps, then the plan */
    public String render() {
        StringBuilder sb = new StringBuilder("Domain bootstrap of ").append(domain).append(dryRun ? " (dry run)" : "")
                .append(':');
        for (BootstrapStep s : steps) {
            sb.append(String.format(java.util.Locale.ROOT, "%n  %-8s %-22s %s", s.status(), s.name(), s.detail()));
        }
        plan.ifPresent(p -> sb.append(System.lineSeparator()).append(p.render()));
        return sb.toString();
    }
}
