package io.azt3knet.mail.bootstrap;

import io.azt3knet.mail.dns.MailDnsOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link DomainBootstrap} runs.
 *
 * @param dns DMARC policy, TTL, SPF default; its {@code mailHostAddress} is filled from the discovered IP when
 *     {@code publishMailHost} is set and none is given
 * @param dryRun compute and report the plan, change nothing anywhere
 * @param publishMailHost keep a {@code mail.<domain>} A record pointing at this machine's public IP
 * @param refreshDynDns point the domain's DynDNS address at this machine's public IP
 * @param verificationTimeout how long to wait for the provider to see correct DNS (zero: ask once)
 * @param verificationInterval how long to wait between two verification attempts
 */
public record BootstrapOptions(MailDnsOptions dns, boolean dryRun, boolean publishMailHost, boolean refreshDynDns,
        Duration verificationTimeout, Duration verificationInterval) {

    /** Validates. */
    public BootstrapOptions {
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(verificationTimeout, "verificationTimeout");
        Objects.requireNonNull(verificationInterval, "verificationInterval");
        if (verificationTimeout.isNegative() || verificationInterval.isNegative() || verificationInterval.isZero()) {
            throw new IllegalArgumentException("verification timeout must be >= 0 and interval > 0");
        }
    }

    /** @return default DNS options, DynDNS refreshed, no {@code mail} host, verification waited for up to 2 minutes */
    public static BootstrapOptions defaults() {
        return new BootstrapOptions(MailDnsOptions.defaults(), false, false, true, Duration.ofMinutes(2),
                Duration.ofSeconds(15));
    }

    /**
     * @param dry whether to only plan
     * @return a copy
     */
    public BootstrapOptions withDryRun(boolean dry) {
        return new BootstrapOptions(dns, dry, publishMailHost, refreshDynDns, verificationTimeout, verificationInterval);
    }

    /**
     * @param publish whether to publish {@code mail.<domain>} A
     * @return a copy
     */
    public BootstrapOptions withMailHost(boolean publish) {
        return new BootstrapOptions(dns, dryRun, publish, refreshDynDns, verificationTimeout, verificationInterval);
    }

    /**
     * @param refresh whether to refresh DynDNS
     * @return a copy
     */
    public BootstrapOptions withDynDns(boolean refresh) {
        return new BootstrapOptions(dns, dryRun, publishMailHost, refresh, verificationTimeout, verificationInterval);
    }

    /**
     * @param options DNS options
     * @return a copy
     */
    public BootstrapOptions withDns(MailDnsOptions options) {
        return new BootstrapOptions(options, dryRun, publishMailHost, refreshDynDns, verificationTimeout, verificationInterval);
    }

    /**
     * @param timeout longest wait
     * @param interval pause between attempts
     * @return a copy
     */
    public BootstrapOptions withVerification(Duration timeout, Duration interval) {
        return new BootstrapOptions(dns, dryRun, publishMailHost, refreshDynDns, timeout, interval);
    }
}
