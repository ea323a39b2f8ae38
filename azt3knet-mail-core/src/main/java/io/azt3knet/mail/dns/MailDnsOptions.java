package io.azt3knet.mail.dns;

import io.azt3knet.mail.MailboxAddress;
import java.net.Inet4Address;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Choices for the mail DNS that {@link DesiredDns#forMail} builds: DMARC policy and report address, whether
 * that DMARC record replaces an existing one, TTL, the {@code all} term of a new SPF record, and an optional
 * {@code mail.<domain>} A record. Immutable; start from {@link #defaults()} and change what you need with the
 * {@code with} methods.
 *
 * <pre>{@code
 * MailDnsOptions options = MailDnsOptions.defaults()
 *         .withDmarcPolicy(MailDnsOptions.DmarcPolicy.QUARANTINE)
 *         .withDmarcReports(MailboxAddress.parse("dmarc@example.org"))
 *         .withMailHostAddress(publicIpv4);
 * }</pre>
 *
 * @param dmarcPolicy the DMARC {@code p=} policy
 * @param dmarcReports where aggregate DMARC reports go ({@code rua=mailto:}), if anywhere
 * @param ttl the TTL of the managed record sets (raised to the zone's minimum when lower)
 * @param mailHostAddress the address of {@code mail.<domain>}, if that A record is wanted
 * @param spfDefaultAll the {@code all} term of an SPF record created from scratch ({@code ~all}, {@code -all},
 *     {@code ?all}); an existing SPF record keeps its own
 * @param enforceDmarc whether the DMARC record replaces an existing {@code _dmarc} record set; when false (the
 *     default) DMARC is only created where there is none, and an existing policy is kept
 * @param replaceMx whether the provider's MX replaces an apex MX that points at other hosts (another mail
 *     service on the domain); when false (the default) such an MX is a conflict and nothing is written
 */
public record MailDnsOptions(DmarcPolicy dmarcPolicy, Optional<MailboxAddress> dmarcReports, int ttl,
        Optional<Inet4Address> mailHostAddress, String spfDefaultAll, boolean enforceDmarc, boolean replaceMx) {

    /** The default TTL of the managed record sets, one hour. */
    public static final int DEFAULT_TTL = 3600;

    /** The DMARC policy published at {@code _dmarc}. */
    public enum DmarcPolicy {
        /** Monitor only ({@code p=none}): the safe start. */
        NONE,
        /** Treat failing mail as suspicious ({@code p=quarantine}). */
        QUARANTINE,
        /** Refuse failing mail ({@code p=reject}). */
        REJECT;

        /** @return the tag value, e.g. {@code none} */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Validates the options. */
    public MailDnsOptions {
        Objects.requireNonNull(dmarcPolicy, "dmarcPolicy");
        Objects.requireNonNull(dmarcReports, "dmarcReports");
        Objects.requireNonNull(mailHostAddress, "mailHostAddress");
        Objects.requireNonNull(spfDefaultAll, "spfDefaultAll");
        if (ttl < 1) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
        if (!spfDefaultAll.matches("[-~?]all")) {
            throw new IllegalArgumentException("spfDefaultAll must be -all, ~all or ?all, got '" + spfDefaultAll + "'");
        }
    }

    /**
     * Options that never replace a foreign apex MX.
     *
     * @param dmarcPolicy the DMARC {@code p=} policy
     * @param dmarcReports where aggregate DMARC reports go, if anywhere
     * @param ttl the TTL of the managed record sets
     * @param mailHostAddress the address of {@code mail.<domain>}, if that A record is wanted
     * @param spfDefaultAll the {@code all} term of an SPF record created from scratch
     * @param enforceDmarc whether the DMARC record replaces an existing {@code _dmarc} record set
     */
    public MailDnsOptions(DmarcPolicy dmarcPolicy, Optional<MailboxAddress> dmarcReports, int ttl,
            Optional<Inet4Address> mailHostAddress, String spfDefaultAll, boolean enforceDmarc) {
        this(dmarcPolicy, dmarcReports, ttl, mailHostAddress, spfDefaultAll, enforceDmarc, false);
    }

    /**
     * Options whose DMARC record is only created when absent.
     *
     * @param dmarcPolicy the DMARC {@code p=} policy
     * @param dmarcReports where aggregate DMARC reports go, if anywhere
     * @param ttl the TTL of the managed record sets
     * @param mailHostAddress the address of {@code mail.<domain>}, if that A record is wanted
     * @param spfDefaultAll the {@code all} term of an SPF record created from scratch
     */
    public MailDnsOptions(DmarcPolicy dmarcPolicy, Optional<MailboxAddress> dmarcReports, int ttl,
            Optional<Inet4Address> mailHostAddress, String spfDefaultAll) {
        this(dmarcPolicy, dmarcReports, ttl, mailHostAddress, spfDefaultAll, false);
    }

    /**
     * @return {@code p=none} (created only where {@code _dmarc} has no record), no reports, TTL 3600, no
     *     {@code mail} A record, {@code ~all}
     */
    public static MailDnsOptions defaults() {
        return new MailDnsOptions(DmarcPolicy.NONE, Optional.empty(), DEFAULT_TTL, Optional.empty(), "~all", false);
    }

    /**
     * @param policy the DMARC policy
     * @return a copy
     */
    public MailDnsOptions withDmarcPolicy(DmarcPolicy policy) {
        return new MailDnsOptions(policy, dmarcReports, ttl, mailHostAddress, spfDefaultAll, enforceDmarc, replaceMx);
    }

    /**
     * @param address where aggregate reports go
     * @return a copy
     */
    public MailDnsOptions withDmarcReports(MailboxAddress address) {
        return new MailDnsOptions(dmarcPolicy, Optional.of(address), ttl, mailHostAddress, spfDefaultAll, enforceDmarc, replaceMx);
    }

    /**
     * @param newTtl TTL in seconds
     * @return a copy
     */
    public MailDnsOptions withTtl(int newTtl) {
        return new MailDnsOptions(dmarcPolicy, dmarcReports, newTtl, mailHostAddress, spfDefaultAll, enforceDmarc, replaceMx);
    }

    /**
     * @param address the address {@code mail.<domain>} points at
     * @return a copy
     */
    public MailDnsOptions withMailHostAddress(Inet4Address address) {
        return new MailDnsOptions(dmarcPolicy, dmarcReports, ttl, Optional.of(address), spfDefaultAll, enforceDmarc, replaceMx);
    }

    /**
     * @param all {@code -all}, {@code ~all} or {@code ?all}
     * @return a copy
     */
    public MailDnsOptions withSpfDefaultAll(String all) {
        return new MailDnsOptions(dmarcPolicy, dmarcReports, ttl, mailHostAddress, all, enforceDmarc, replaceMx);
    }

    /**
     * Chooses whether the DMARC record replaces an existing {@code _dmarc} record set. Leave it off (the default)
     * for runs from cron or at container start, so that a policy someone made stricter by hand is kept; turn it on
     * when the user asked for this policy explicitly (for example {@code dns-bootstrap --dmarc-policy reject}).
     *
     * @param enforce true to replace an existing DMARC record with this one
     * @return a copy
     */
    public MailDnsOptions withDmarcEnforced(boolean enforce) {
        return new MailDnsOptions(dmarcPolicy, dmarcReports, ttl, mailHostAddress, spfDefaultAll, enforce, replaceMx);
    }

    /**
     * Chooses whether the provider's MX replaces an apex MX that points at other hosts. Leave it off (the
     * default): a domain whose people already receive mail elsewhere must not lose it silently. Turn it on when
     * the user asked to take the domain's mail over ({@code dns-bootstrap --replace-mx}).
     *
     * @param replace true to replace a foreign apex MX
     * @return a copy
     */
    public MailDnsOptions withReplaceMx(boolean replace) {
        return new MailDnsOptions(dmarcPolicy, dmarcReports, ttl, mailHostAddress, spfDefaultAll, enforceDmarc, replace);
    }

    /** @return the DMARC record text, e.g. {@code v=DMARC1; p=none; rua=mailto:dmarc@example.org} */
    public String dmarcRecord() {
        return "v=DMARC1; p=" + dmarcPolicy.tag() + dmarcReports.map(a -> "; rua=mailto:" + a.value()).orElse("");
    }
}
