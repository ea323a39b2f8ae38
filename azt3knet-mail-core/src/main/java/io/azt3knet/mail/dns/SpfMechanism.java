package io.azt3knet.mail.dns;

import io.azt3knet.mail.MailboxAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The SPF mechanisms this library merges into a domain's SPF record: only mechanisms that name a sender.
 * Accepted (RFC 7208, with no qualifier or {@code +}): {@code include:<domain>}, {@code a} and {@code mx}
 * (optionally {@code :<domain>} and a prefix {@code /16}..{@code /32}, {@code //32}..{@code //128}),
 * {@code ip4:<address>[/16..32]} and {@code ip6:<address>[/32..128]}. Refused: {@code all} with any
 * qualifier, {@code redirect=}, {@code exists:}, {@code ptr}, other qualifiers, and prefixes so wide that they
 * authorise a large part of the Internet ({@code ip4:0.0.0.0/0}, {@code ip4:10.0.0.0/8}).
 */
public final class SpfMechanism {

    /** The widest IPv4 prefix accepted. */
    public static final int MIN_IP4_PREFIX = 16;
    /** The widest IPv6 prefix accepted. */
    public static final int MIN_IP6_PREFIX = 32;

    private static final Pattern INCLUDE = Pattern.compile("include:(\\S+)");
    private static final Pattern A_OR_MX = Pattern.compile("(a|mx)(?::([^/\\s]+))?(?:/(\\d{1,3}))?(?://(\\d{1,3}))?");
    private static final Pattern IP4 = Pattern.compile("ip4:([0-9.]+)(?:/(\\d{1,2}))?");
    private static final Pattern IP6 = Pattern.compile("ip6:([0-9a-f:.]+)(?:/(\\d{1,3}))?");

    private SpfMechanism() {
    }

    /**
     * @param mechanism a mechanism, e.g. {@code include:spf.mailjet.com}
     * @return what is wrong with it, or empty when it is accepted
     */
    public static Optional<String> problem(String mechanism) {
        String m = mechanism.strip().toLowerCase(Locale.ROOT);
        if (m.startsWith("+")) {
            m = m.substring(1);
        }
        if (m.isEmpty() || m.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            return Optional.of("must be one SPF mechanism without spaces, such as include:spf.example.net");
        }
        if (m.matches("[-~?]?all") || m.startsWith("-") || m.startsWith("~") || m.startsWith("?")) {
            return Optional.of("must name a sender (include:, a, mx, ip4:, ip6:); 'all' and qualifiers other than "
                    + "'+' are never merged, they would change who may send for the whole domain");
        }
        Matcher include = INCLUDE.matcher(m);
        if (include.matches()) {
            return domainProblem(include.group(1));
        }
        Matcher aOrMx = A_OR_MX.matcher(m);
        if (aOrMx.matches()) {
            if (aOrMx.group(2) != null) {
                Optional<String> p = domainProblem(aOrMx.group(2));
                if (p.isPresent()) {
                    return p;
                }
            }
            return prefixProblem(aOrMx.group(3), MIN_IP4_PREFIX, 32)
                    .or(() -> prefixProblem(aOrMx.group(4), MIN_IP6_PREFIX, 128));
        }
        Matcher ip4 = IP4.matcher(m);
        if (ip4.matches()) {
            if (!(parse(ip4.group(1)) instanceof Inet4Address)) {
                return Optional.of("holds an invalid IPv4 address: " + ip4.group(1));
            }
            return prefixProblem(ip4.group(2), MIN_IP4_PREFIX, 32);
        }
        Matcher ip6 = IP6.matcher(m);
        if (ip6.matches()) {
            if (!ip6.group(1).contains(":") || !(parse(ip6.group(1)) instanceof Inet6Address)) {
                return Optional.of("holds an invalid IPv6 address: " + ip6.group(1));
            }
            return prefixProblem(ip6.group(2), MIN_IP6_PREFIX, 128);
        }
        return Optional.of("must be include:<domain>, a, mx, ip4:<address> or ip6:<address>; redirect=, exists:, "
                + "ptr and modifiers are not accepted");
    }

    /**
     * @param mechanism a mechanism
     * @return the mechanism, checked
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static String require(String mechanism) {
        problem(mechanism).ifPresent(p -> {
            throw new IllegalArgumentException("SPF mechanism '" + mechanism + "' " + p);
        });
        return mechanism;
    }

    private static Optional<String> domainProblem(String domain) {
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        try {
            MailboxAddress.requireDomain(d);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("names an invalid domain: " + domain);
        }
    }

    private static Optional<String> prefixProblem(@Nullable String prefix, int min, int max) {
        if (prefix == null) {
            return Optional.empty();
        }
        int n = Integer.parseInt(prefix);
        if (n < min || n > max) {
            return Optional.of("has the prefix length /" + n + ": it must be between /" + min + " and /" + max
                    + " (a wider one lets a large part of the Internet send as the domain)");
        }
        return Optional.empty();
    }

    private static @Nullable InetAddress parse(String literal) {
        if (!literal.matches("[0-9a-f:.]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(literal); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
