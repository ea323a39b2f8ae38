package io.azt3knet.mail.inbound.maildir;

import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.text.ParsePosition;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The few top-level headers a summary needs, read from the start of a message file up to the blank line
 * that ends the header section; the body is never read. Values are unfolded, not decoded.
 */
final class HeaderBlock {

    private static final Set<String> WANTED = Set.of("from", "to", "subject", "date", "message-id", "delivered-to",
            "in-reply-to", "references");
    private static final int FIRST_READ = 8 * 1024;
    private static final int MAX_HEADER_BYTES = 1024 * 1024;

    private final Map<String, List<String>> values;
    private final long size;
    private final Map<String, String> decoded = new java.util.concurrent.ConcurrentHashMap<>();
    @SuppressWarnings("OptionalAssignedToNull")
    private volatile @org.jspecify.annotations.Nullable Optional<Instant> date;

    private HeaderBlock(Map<String, List<String>> values, long size) {
        this.values = values;
        this.size = size;
    }

    /**
     * @param file a message file
     * @return its wanted headers and its size
     * @throws java.nio.file.NoSuchFileException if the file is gone (moved or deleted meanwhile)
     * @throws IOException if it cannot be read
     */
    static HeaderBlock read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(Math.max(size, 1), FIRST_READ));
            int end = -1;
            while (true) {
                int n = channel.read(buffer);
                end = headerEnd(buffer.array(), buffer.position());
                if (end >= 0 || n < 0 || buffer.position() >= MAX_HEADER_BYTES) {
                    break;
                }
                if (!buffer.hasRemaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate(Math.min(buffer.capacity() * 4, MAX_HEADER_BYTES));
                    buffer.flip();
                    bigger.put(buffer);
                    buffer = bigger;
                }
            }
            int length = end >= 0 ? end : buffer.position();
            return new HeaderBlock(parse(new String(buffer.array(), 0, length, StandardCharsets.UTF_8)), size);
        }
    }

    /** @return the offset of the blank line ending the headers, or -1 when not within {@code length} */
    private static int headerEnd(byte[] b, int length) {
        for (int i = 0; i + 1 < length; i++) {
            if (b[i] == '\n' && (b[i + 1] == '\n' || b[i + 1] == '\r' && i + 2 < length && b[i + 2] == '\n')) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, List<String>> parse(String text) {
        Map<String, List<String>> out = new HashMap<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        int length = text.length();
        int pos = 0;
        while (pos < length) {
            int eol = text.indexOf('\n', pos);
            if (eol < 0) {
                eol = length;
            }
            int end = eol > pos && text.charAt(eol - 1) == '\r' ? eol - 1 : eol;
            char first = end > pos ? text.charAt(pos) : '\n';
            if (first == ' ' || first == '\t') {
                if (name != null) {
                    value.append(' ').append(text, pos, end);
                }
            } else {
                if (name != null) {
                    out.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value.toString().strip());
                    name = null;
                }
                int colon = text.indexOf(':', pos);
                if (colon > pos && colon < end) {
                    String n = text.substring(pos, colon).strip().toLowerCase(Locale.ROOT);
                    if (WANTED.contains(n)) {
                        name = n;
                        value.setLength(0);
                        value.append(text, colon + 1, end);
                    }
                }
            }
            pos = eol + 1;
        }
        if (name != null) {
            out.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value.toString().strip());
        }
        return out;
    }

    long size() {
        return size;
    }

    /** @return the first value of a wanted header (lower-case name), unfolded and raw */
    Optional<String> raw(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** @return the first value, with encoded words decoded (remembered: a block is read once, shown often) */
    String decoded(String name) {
        String known = decoded.get(name);
        if (known == null) {
            known = raw(name).map(HeaderBlock::decode).orElse("");
            decoded.put(name, known);
        }
        return known;
    }

    static String decode(String value) {
        if (!value.contains("=?")) {
            return value;
        }
        try {
            return MimeUtility.decodeText(value);
        } catch (java.io.UnsupportedEncodingException | RuntimeException e) {
            return value;
        }
    }

    /** @return the {@code Date} header as an instant, when present and readable (parsed once) */
    Optional<Instant> date() {
        Optional<Instant> known = date;
        if (known == null) {
            known = raw("date").flatMap(HeaderBlock::parseDate);
            date = known;
        }
        return known;
    }

    static Optional<Instant> parseDate(String value) {
        String v = value.strip();
        int comment = v.indexOf('(');
        if (comment > 0) {
            v = v.substring(0, comment).strip();
        }
        try {
            return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            java.util.Date d = new MailDateFormat().parse(value, new ParsePosition(0));
            return Optional.ofNullable(d).map(java.util.Date::toInstant);
        }
    }
}
