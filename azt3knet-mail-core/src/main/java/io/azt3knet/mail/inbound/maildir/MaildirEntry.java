package io.azt3knet.mail.inbound.maildir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * One message file of a Maildir as its name tells it: the unique name (the message's id), the flags after
 * {@code :2,}, and the delivery time, read from the name's leading {@code <seconds>[.M<micros>]} (the form
 * {@link MaildirSink} and most delivery agents use) or, failing that, from the file's modification time.
 *
 * @param file the file, in {@code new/} or {@code cur/}
 * @param id the unique name without the info part
 * @param flags the flags, possibly empty
 * @param deliveredMicros the delivery time in microseconds since the epoch
 */
record MaildirEntry(Path file, String id, String flags, long deliveredMicros) {

    /** Oldest first; ties by id, so that the order is total. */
    static final Comparator<MaildirEntry> OLDEST_FIRST =
            Comparator.comparingLong(MaildirEntry::deliveredMicros).thenComparing(MaildirEntry::id);

    /** The info separator of Maildir file names. */
    static final String INFO = ":2,";

    /**
     * @param file a file in {@code new/} or {@code cur/}
     * @return the entry, or empty for a name that is not a message (dot files) or a file gone meanwhile
     */
    static Optional<MaildirEntry> of(Path file) {
        String name = file.getFileName().toString();
        if (name.isEmpty() || name.charAt(0) == '.') {
            return Optional.empty();
        }
        int info = name.indexOf(INFO);
        String id = info < 0 ? name : name.substring(0, info);
        String flags = info < 0 ? "" : name.substring(info + INFO.length());
        long micros = timeInName(id);
        if (micros < 0) {
            try {
                micros = Files.getLastModifiedTime(file).to(java.util.concurrent.TimeUnit.MICROSECONDS);
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new MaildirEntry(file, id, flags, micros));
    }

    /** @return microseconds from {@code <seconds>[.M<micros>]} at the start of the name, or -1 */
    static long timeInName(String id) {
        int i = 0;
        long seconds = 0;
        while (i < id.length() && i < 12 && Character.isDigit(id.charAt(i))) {
            seconds = seconds * 10 + (id.charAt(i) - '0');
            i++;
        }
        if (i == 0) {
            return -1;
        }
        long micros = 0;
        if (id.startsWith(".M", i)) {
            int j = i + 2;
            int digits = 0;
            while (j < id.length() && digits < 6 && Character.isDigit(id.charAt(j))) {
                micros = micros * 10 + (id.charAt(j) - '0');
                j++;
                digits++;
            }
        }
        return seconds * 1_000_000 + micros;
    }

    boolean seen() {
        return flags.indexOf('S') >= 0;
    }

    Instant deliveredAt() {
        return Instant.ofEpochSecond(deliveredMicros / 1_000_000, (deliveredMicros % 1_000_000) * 1000);
    }

    /** @return the flags with {@code flag} added, in ASCII order as the Maildir specification asks */
    String flagsWith(char flag) {
        if (flags.indexOf(flag) >= 0) {
            return flags;
        }
        char[] chars = (flags + flag).toCharArray();
        java.util.Arrays.sort(chars);
        return new String(chars);
    }
}
