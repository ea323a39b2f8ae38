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
    /** Which ASCII characters may appear in an atom. */
    private static final boolean[] ATOM_CHARS = atomChars();

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
        int atomStart = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (i == atomStart) {
                    return false;
                }
                atomStart = i + 1;
            } else if (c >= ATOM_CHARS.length || !ATOM_CHARS[c]) {
                return false;
            }
        }
        return atomStart < s.length();
    }

    /** @return whether {@code s} is labels of {@code [a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?} joined by single dots */
    private static boolean isHostName(String s) {
        int labelStart = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '.') {
                if (!isLabel(s, labelStart, i)) {
                    return false;
                }
                labelStart = i + 1;
            }
        }
        return isLabel(s, labelStart, s.length());
    }

    private static boolean isLabel(String s, int from, int to) {
        if (to - from < 1 || to - from > MAX_LABEL_LENGTH || s.charAt(from) == '-' || s.charAt(to - 1) == '-') {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean[] atomChars() {
        boolean[] table = new boolean[128];
        for (char c = 'a'; c <= 'z'; c++) {
            table[c] = true;
            table[Character.toUpperCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            table[c] = true;
        }
        for (char c : ATOM_SYMBOLS.toCharArray()) {
            table[c] = true;
        }
        return table;
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
