package io.azt3knet.mail.config;

import io.azt3knet.mail.MailboxAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Provider-neutral provisioning settings: the agents' mail domain and the optional prefix label.
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>variable</th><th>meaning</th></tr>
 *   <tr><td>{@code DESEC_DOMAIN}</td><td>the agents' mail domain (required)</td></tr>
 *   <tr><td>{@code AZT3KNET_AGENT_MAIL_PREFIX}</td><td>prefix label for agent addresses (optional)</td></tr>
 * </table>
 *
 * @param domain the mail domain
 * @param prefix the prefix label, or empty
 */
public record ProvisioningSettings(String domain, String prefix) {

    /** Variable naming the domain. */
    public static final String DOMAIN = "DESEC_DOMAIN";
    /** Variable naming the prefix label. */
    public static final String PREFIX = "AZT3KNET_AGENT_MAIL_PREFIX";

    /** Validates the domain and the prefix label. */
    public ProvisioningSettings {
        MailboxAddress.requireDomain(domain);
        Objects.requireNonNull(prefix, "prefix");
        checkPrefix(prefix).ifPresent(p -> {
            throw new IllegalArgumentException(PREFIX + " " + p);
        });
    }

    /**
     * @param domain the agents' mail domain, e.g. {@code agents.example.org}
     * @return settings for that domain without a prefix label; add one with {@link #withPrefix(String)}
     * @throws IllegalArgumentException if the domain is not a valid host name
     */
    public static ProvisioningSettings of(String domain) {
        return new ProvisioningSettings(domain, "");
    }

    /**
     * @param label the prefix label put in front of every agent's local part, e.g. {@code crew}: lower-case
     *     letters, digits and inner hyphens, at most {@value #MAX_PREFIX_LENGTH} characters
     * @return a copy with that prefix label
     * @throws IllegalArgumentException naming {@code AZT3KNET_AGENT_MAIL_PREFIX} if the label is invalid
     */
    public ProvisioningSettings withPrefix(String label) {
        Objects.requireNonNull(label, "label");
        if (label.isEmpty()) {
            throw new IllegalArgumentException(PREFIX + " must not be empty: use of(domain) for no prefix");
        }
        return new ProvisioningSettings(domain, label);
    }

    /**
     * @param source the configuration
     * @return the settings
     * @throws io.azt3knet.mail.ConfigurationException listing every problem
     */
    public static ProvisioningSettings from(ConfigSource source) {
        SettingsReader r = new SettingsReader(source);
        String domain = r.domain(DOMAIN);
        String prefix = r.string(PREFIX, "");
        checkPrefix(prefix).ifPresent(p -> r.problem(PREFIX + " " + p));
        r.validate();
        return new ProvisioningSettings(domain, prefix);
    }

    /**
     * The longest prefix that still leaves room for a full address: the local part is
     * {@code prefix.first16.last16.ddd.yyyyMMddHHmmss}, at most 64 characters.
     */
    public static final int MAX_PREFIX_LENGTH = MailboxAddress.MAX_LOCAL_PART_LENGTH - (16 + 1 + 16 + 1 + 3 + 1 + 14) - 1;

    /**
     * @param prefix a prefix label
     * @return what is wrong with it, if anything
     */
    public static Optional<String> checkPrefix(String prefix) {
        if (prefix.isEmpty()) {
            return Optional.empty();
        }
        if (!prefix.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            return Optional.of("must be lower-case letters, digits and inner hyphens, got '"
                    + prefix.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        if (prefix.length() > MAX_PREFIX_LENGTH) {
            return Optional.of("must have at most " + MAX_PREFIX_LENGTH
                    + " characters so that agent addresses fit the 64-character local-part limit, got "
                    + prefix.length());
        }
        return Optional.empty();
    }

    /** @return the prefix, if one is configured */
    public Optional<String> prefixLabel() {
        return prefix.isEmpty() ? Optional.empty() : Optional.of(prefix);
    }

    /**
     * @param localPart an agent's local part without prefix, e.g. {@code jane.doe.123.20241005123045}
     * @param applyPrefix whether to put the prefix label in front
     * @return the address in the configured domain
     */
    public MailboxAddress address(String localPart, boolean applyPrefix) {
        String lp = applyPrefix && !prefix.isEmpty() ? prefix + "." + localPart : localPart;
        return new MailboxAddress(lp, domain);
    }
}
