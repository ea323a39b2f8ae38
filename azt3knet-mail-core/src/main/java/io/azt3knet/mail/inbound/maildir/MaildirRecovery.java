package io.azt3knet.mail.inbound.maildir;

import io.azt3knet.mail.inbound.DeliveryKey;
import io.azt3knet.mail.internal.util.LogText;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link MaildirSink} does when it starts: removes stale files from every {@code tmp/}, forces the
 * directories whose files it takes as durable, and reports every published file (in {@code new/}, {@code cur/}
 * and the quarantine) whose name carries a delivery key, so that the sink knows its redeliveries again and
 * re-creates the markers a crash lost.
 */
final class MaildirRecovery {

    /** Told about each published file found. */
    @FunctionalInterface
    interface Found {
        /**
         * @param file the file
         * @param key the delivery key in its name
         * @param content the content digest in its name
         * @throws IOException if completing the file's steps fails
         */
        void published(Path file, DeliveryKey key, String content) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(MaildirSink.class);
    private static final Pattern KEYS_IN_NAME = Pattern.compile("K([0-9a-f]{64})C([0-9a-f]{64})\\.");

    private final Path root;
    private final boolean perRecipient;
    private final Clock clock;
    private final Duration staleTmpAfter;
    private final Disk disk;

    MaildirRecovery(Path root, boolean perRecipient, Clock clock, Duration staleTmpAfter, Disk disk) {
        this.root = root;
        this.perRecipient = perRecipient;
        this.clock = clock;
        this.staleTmpAfter = staleTmpAfter;
        this.disk = disk;
    }

    /**
     * @param quarantine the quarantine directory, recovered like a Maildir's {@code new/}
     * @param found told about each published file
     * @throws IOException if a directory cannot be read or forced
     */
    void run(Path quarantine, Found found) throws IOException {
        removeStaleTmp(quarantine);
        recoverPublished(quarantine, found);
        for (Path maildir : maildirs()) {
            removeStaleTmp(maildir);
            recoverPublished(maildir.resolve("new"), found);
            recoverPublished(maildir.resolve("cur"), found);
        }
    }

    private List<Path> maildirs() throws IOException {
        if (!perRecipient) {
            return List.of(root);
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path child : children) {
                if (Files.isDirectory(child.resolve("new")) && Files.isDirectory(child.resolve("tmp"))) {
                    found.add(child);
                }
            }
        }
        return found;
    }

    private void removeStaleTmp(Path maildir) throws IOException {
        Instant cutoff = clock.instant().minus(staleTmpAfter);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(maildir.resolve("tmp"))) {
            for (Path f : files) {
                if (Files.getLastModifiedTime(f).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(f);
                    LOG.info("Removed stale temporary Maildir file {}", LogText.escape(f));
                }
            }
        }
    }

    /**
     * Remembers the published files of a directory, and re-creates the markers lost by a crash (or a
     * failure) between the rename and the marker write.
     */
    private void recoverPublished(Path dir, Found found) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        boolean forced = false;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, Files::isRegularFile)) {
            for (Path f : files) {
                if (!forced) {
                    // the files below are taken as durable: make their directory entries (and the Maildir's own
                    // entry in its parent) so before anything relies on it
                    disk.forceDirectory(dir);
                    disk.forceDirectory(dir.getParent());
                    if (!dir.getParent().equals(root)) {
                        disk.forceDirectory(root);
                    }
                    forced = true;
                }
                Matcher m = KEYS_IN_NAME.matcher(f.getFileName().toString());
                if (!m.find()) {
                    continue;
                }
                found.published(f, new DeliveryKey(m.group(1)), m.group(2));
            }
        }
    }
}
