package io.azt3knet.mail;

import java.util.Locale;
import java.util.Objects;

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

    /** The characters of a dot-atom's atom: {@code [A-Za-z0-9!#$%&'*+=?^_`{|}~-]}. */
    private static final String ATOM_SYMBOLS = "!#$%&'*+=?^_`{|}~-";
    /** Longest label of a host name. */
    private static final int MAX_LABEL_LENGTH = 63;

    /** Validates both parts. */
    public MailboxAddress {
        Objects.requireNonNull(localPart, "localPart");
        Objects.requireNonNull(domain, "domain");
        domain = domain.toLowerCase(Locale.ROOT);
        if (localPart.isEmpty() || localPart.length() > MAX_LOCAL_PART_LENGTH) {
            throw new IllegalArgumentException("local part must have 1 to " + MAX_LOCAL_PART_LENGTH
                    + " characters, got " + localPart.length());
        }
        if (!isDotAtom(localPart)) {
            throw new IllegalArgumentException("invalid local part '" + printable(localPart)
                    + "': dot-separated letters, digits and !#$%&'*+=?^_`{|}~- only");
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
        if (!isHostName(domain)) {
            throw new IllegalArgumentException("invalid domain '" + printable(domain)
                    + "': dot-separated labels of lower-case letters, digits and hyphens expected");
        }
        return domain;
    }

    // Scanned by hand, not by regular expressions: every named agent builds an address, and matching
    // seven patterns cost more than the rest of naming an ASCII name together.

    /** @return whether {@code s} is atoms of {@code [A-Za-z0-9!#$%&'*+=?^_`{|}~-]+} joined by single dots */
    private static boolean isDotAtom(String s) {
        int atomLength = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (atomLength == 0) {
                    return false;
                }
                atomLength = 0;
            } else if (isAsciiLetterOrDigit(c) || ATOM_SYMBOLS.indexOf(c) >= 0) {
                atomLength++;
            } else {
                return false;
            }
        }
        return atomLength > 0;
    }

    /** @return whether {@code s} is labels of {@code [a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?} joined by single dots */
    private static boolean isHostName(String s) {
        int labelStart = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                int length = i - labelStart;
                if (length == 0 || length > MAX_LABEL_LENGTH || s.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
            } else if (c == '-') {
                if (i == labelStart) {
                    return false;
                }
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
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
