package io.azt3knet.mail.desec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Converts records between their logical form ({@link io.azt3knet.mail.dns.DnsRecordSet}) and deSEC's
 * presentation format.
 *
 * <ul>
 *   <li>TXT and SPF: the text is split into character-strings of at most 255 bytes (UTF-8), each quoted,
 *       with {@code "} and {@code \} escaped and control characters as {@code \DDD}; strings are separated by
 *       a space. deSEC stores (and returns) long values split like this, so decoding joins the strings again:
 *       a 400-character DKIM key reads back exactly as it was written and is not seen as a change.</li>
 *   <li>MX, CNAME, NS and other host names already carry their trailing dot in logical form
 *       ({@code "10 parse.mailjet.com."}); they pass through unchanged, as does everything else.</li>
 * </ul>
 * Non-ASCII text is sent as UTF-8 inside the quotes (UNCONFIRMED whether deSEC keeps it as such or escapes
 * it as {@code \DDD}; decoding accepts both). Mail records are ASCII.
 */
final class RecordCodec {

    /** The longest character-string in a TXT record (RFC 1035 3.3). */
    static final int MAX_STRING_BYTES = 255;

    private RecordCodec() {
    }

    /**
     * @param type record type
     * @param logical the record in logical form
     * @return the record as deSEC expects it
     */
    static String encode(String type, String logical) {
        return isText(type) ? encodeText(logical) : logical;
    }

    /**
     * @param type record type
     * @param presentation the record as deSEC returns it
     * @return the logical form
     */
    static String decode(String type, String presentation) {
        return isText(type) ? decodeText(presentation) : presentation;
    }

    private static boolean isText(String type) {
        String t = type.toUpperCase(Locale.ROOT);
        return t.equals("TXT") || t.equals("SPF");
    }

    static String encodeText(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<String> strings = new ArrayList<>();
        int start = 0;
        do {
            int end = Math.min(start + MAX_STRING_BYTES, bytes.length);
            while (end < bytes.length && (bytes[end] & 0xC0) == 0x80) {
                end--; // never split a UTF-8 sequence between two strings
            }
            strings.add(quote(new String(bytes, start, end - start, StandardCharsets.UTF_8)));
            start = end;
        } while (start < bytes.length);
        return String.join(" ", strings);
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append('\\').append(String.format(Locale.ROOT, "%03d", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    static String decodeText(String presentation) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(presentation.length());
        String s = presentation.strip();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                i = readString(s, i + 1, out, true);
            } else {
                i = readString(s, i, out, false); // unquoted character-string, defensively
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Reads one character-string from {@code i}; returns the index after it. */
    private static int readString(String s, int i, ByteArrayOutputStream out, boolean quoted) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (quoted ? c == '"' : Character.isWhitespace(c)) {
                return i + 1;
            }
            if (c == '\\' && i + 1 < s.length()) {
                if (i + 3 < s.length() && isDigits(s, i + 1, 3)) {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 4)) & 0xff);
                    i += 4;
                } else {
                    writeUtf8(out, s.substring(i + 1, i + 1 + Character.charCount(s.codePointAt(i + 1))));
                    i += 1 + Character.charCount(s.codePointAt(i + 1));
                }
            } else {
                int len = Character.charCount(s.codePointAt(i));
                writeUtf8(out, s.substring(i, i + len));
                i += len;
            }
        }
        return i;
    }

    private static boolean isDigits(String s, int from, int count) {
        for (int k = from; k < from + count; k++) {
            if (s.charAt(k) < '0' || s.charAt(k) > '9') {
                return false;
            }
        }
        return true;
    }

    private static void writeUtf8(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
