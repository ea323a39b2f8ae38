package io.azt3knet.mail;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An e-mail address {@code localPart@domain}, validated on construction: a dot-atom local part of at
 * most 64 characters (RFC 5321) and a host name domain. Characters that could inject a header or a path
 * (CR, LF, {@code @}, {@code /}, quotes, spaces) are refused. The domain is kept in lower case.
 *
 * @param localPart the part before {@code @}
 * @param domain the part after {@code @}
 */
public record MailboxAddress(String localPart, String domain) {

    /** RFC 5321 limit on the local part. */
    public static final int MAX_LOCAL_PART_LENGTH = 64;

    private static final Pattern ATOM = Pattern.compile("[A-Za-z0-9!#$%&'*+=?^_`{|}~-]+");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** Validates both parts. */
    public MailboxAddress {
        Objects.requireNonNull(localPart, "localPart");
        Objects.requireNonNull(domain, "domain");
        domain = domain.toLowerCase(Locale.ROOT);
        if (localPart.isEmpty() || localPart.length() > MAX_LOCAL_PART_LENGTH) {
            throw new IllegalArgumentException("local part must have 1 to " + MAX_LOCAL_PART_LENGTH
                    + " characters, got " + localPart.length());
        }
        for (String atom : localPart.split("\\.", -1)) {
            if (!ATOM.matcher(atom).matches()) {
                throw new IllegalArgumentException("invalid local part '" + printable(localPart)
                        + "': dot-separated letters, digits and !#$%&'*+=?^_`{|}~- only");
            }
        }
        requireDomain(domain);
    }

    /**
     * Parses {@code local@domain}.
     *
     * @param address the address text
     * @return the address
     * @throws IllegalArgumentException if it is not a valid address
     */
    public static MailboxAddress parse(String address) {
        Objects.requireNonNull(address, "address");
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            throw new IllegalArgumentException("not an e-mail address: '" + printable(address) + "'");
        }
        return new MailboxAddress(address.substring(0, at), address.substring(at + 1));
    }

    /**
     * Checks that a text is a valid host name (letters, digits and hyphens in dot-separated labels).
     *
     * @param domain the domain, lower case
     * @return the domain
     * @throws IllegalArgumentException if it is not
     */
    public static String requireDomain(String domain) {
        Objects.requireNonNull(domain, "domain");
        if (domain.isEmpty() || domain.length() > 253) {
            throw new IllegalArgumentException("domain must have 1 to 253 characters: '" + printable(domain) + "'");
        }
        for (String label : domain.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("invalid domain '" + printable(domain)
                        + "': dot-separated labels of lower-case letters, digits and hyphens expected");
            }
        }
        return domain;
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /** @return {@code localPart@domain} */
    public String value() {
        return localPart + "@" + domain;
    }

    @Override
    public String toString() {
        return value();
    }
}
