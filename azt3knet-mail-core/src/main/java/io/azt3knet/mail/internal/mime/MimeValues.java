package io.azt3knet.mail.internal.mime;

import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeUtility;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Provider-neutral readings of MIME header values, as inbound parsers need them: message ids without angle
 * brackets, attachment file names (RFC 2231 and encoded words decoded, made safe as file names), MIME types,
 * unfolded header values that can never inject a header.
 */
public final class MimeValues {

    private static final Pattern MIME_TYPE = Pattern.compile("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+");
    private static final String OCTET_STREAM = "application/octet-stream";

    private MimeValues() {
    }

    /**
     * @param id a {@code Message-ID} or {@code Content-ID} value
     * @return the id without its angle brackets
     */
    public static String stripAngles(String id) {
        String s = id.strip();
        if (s.startsWith("<") && s.endsWith(">") && s.length() >= 2) {
            s = s.substring(1, s.length() - 1).strip();
        }
        return s;
    }

    /**
     * @param disposition the {@code Content-Disposition} value, possibly empty
     * @param contentType the {@code Content-Type} value, possibly empty
     * @return the file name, empty when there is none
     *
     * <p>The file name from {@code Content-Disposition: ...; filename=} or {@code Content-Type: ...; name=}, RFC 2231
     * ({@code filename*=utf-8''...}, also split into {@code filename*0*=}) and encoded-word names decoded,
     * directories and control characters removed so that it is safe as a file name.
     */
    public static String fileName(String disposition, String contentType) {
        String name = null;
        if (!disposition.isBlank()) {
            try {
                name = new ContentDisposition(disposition).getParameter("filename");
            } catch (jakarta.mail.internet.ParseException | RuntimeException e) {
                name = null; // an unparsable header: try Content-Type's name
            }
        }
        if (name == null && !contentType.isBlank()) {
            try {
                name = new ContentType(contentType).getParameter("name");
            } catch (jakarta.mail.internet.ParseException | RuntimeException e) {
                name = null;
            }
        }
        if (name == null) {
            return "";
        }
        if (name.contains("=?")) {
            try {
                name = MimeUtility.decodeText(name);
            } catch (java.io.UnsupportedEncodingException | RuntimeException e) {
                // keep the encoded form: still a usable, if ugly, name
            }
        }
        return safeFileName(name);
    }

    /**
     * @param name a file name from a sender
     * @return the name without directories or control characters; empty for {@code .} and {@code ..}
     */
    public static String safeFileName(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        name.codePoints().filter(c -> !Character.isISOControl(c)).forEach(sb::appendCodePoint);
        String s = sb.toString();
        int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        s = s.substring(slash + 1).strip();
        return s.equals(".") || s.equals("..") ? "" : s;
    }

    /**
     * @param contentType a {@code Content-Type} value
     * @return the base type in lower case, with its charset when it has one; {@code application/octet-stream} if
     *     unusable
     */
    public static String mimeType(String contentType) {
        if (contentType.isBlank()) {
            return OCTET_STREAM;
        }
        try {
            ContentType ct = new ContentType(contentType);
            String base = ct.getBaseType().toLowerCase(Locale.ROOT);
            if (!MIME_TYPE.matcher(base).matches()) {
                return OCTET_STREAM;
            }
            String charset = ct.getParameter("charset");
            return charset != null && charset.matches("[A-Za-z0-9._:+-]{1,40}") ? base + "; charset=" + charset : base;
        } catch (jakarta.mail.internet.ParseException | RuntimeException e) {
            int semi = contentType.indexOf(';');
            String base = (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
            return MIME_TYPE.matcher(base).matches() ? base : OCTET_STREAM;
        }
    }

    /**
     * Unfolds a header value: a line break followed by white space is removed (RFC 5322 unfolding), the tabs
     * Mailjet leaves where a fold was become spaces, and any other line break becomes a space, so that no
     * value can ever inject a header.
     *
     * @param value a header value
     * @return the value on one line
     */
    public static String unfold(String value) {
        if (value.indexOf('\t') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        StringBuilder sb = new StringBuilder(value.length());
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                int j = i;
                while (j < n && (value.charAt(j) == '\r' || value.charAt(j) == '\n')) {
                    j++;
                }
                boolean fold = j < n && (value.charAt(j) == ' ' || value.charAt(j) == '\t');
                if (!fold) {
                    sb.append(' ');
                }
                i = j - 1;
            } else {
                sb.append(c == '\t' ? ' ' : c);
            }
        }
        return sb.toString();
    }

}
