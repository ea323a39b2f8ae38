package io.azt3knet.mail.inbound.maildir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A listener's persisted cursor: every message delivered before the watermark counts as delivered, and
 * so does every id in the list. Each delivery appends its id (a write, not forced: a process crash keeps
 * it, a power loss may lose the tail, which means delivering again, never skipping). Compaction rewrites
 * the file atomically with a new watermark, dropping ids below it and ids no longer stored.
 *
 * <p>File format (UTF-8 lines): {@code azt3knet-listener-cursor 1}, {@code watermark <micros since epoch>},
 * then one delivered id per line. A torn last line (a crash mid-append) matches no id and is harmless.
 */
final class ListenerCursor implements AutoCloseable {

    private static final String MAGIC = "azt3knet-listener-cursor 1";

    private final Path file;
    private long watermarkMicros;
    private final Set<String> delivered = new HashSet<>();
    private FileChannel appender;
    private int appendedSinceCompaction;

    private ListenerCursor(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.getParent());
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(MAGIC) || lines.size() < 2
                    || !lines.get(1).startsWith("watermark ")) {
                throw new IOException("not a listener cursor file (expected first line '" + MAGIC + "'): " + file);
            }
            watermarkMicros = Long.parseLong(lines.get(1).substring("watermark ".length()).strip());
            for (String id : lines.subList(2, lines.size())) {
                if (!id.isBlank()) {
                    delivered.add(id.strip());
                }
            }
        } catch (NoSuchFileException e) {
            watermarkMicros = 0;
            writeAtomically();
        } catch (NumberFormatException e) {
            throw new IOException("the watermark line of " + file + " is not a number", e);
        }
        this.appender = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    static ListenerCursor open(Path file) throws IOException {
        return new ListenerCursor(file);
    }

    boolean delivered(MaildirEntry e) {
        return e.deliveredMicros() < watermarkMicros || delivered.contains(e.id());
    }

    void record(MaildirEntry e) throws IOException {
        if (delivered.add(e.id())) {
            ByteBuffer line = StandardCharsets.UTF_8.encode(e.id() + "\n");
            while (line.hasRemaining()) {
                appender.write(line);
            }
            appendedSinceCompaction++;
        }
    }

    int appendedSinceCompaction() {
        return appendedSinceCompaction;
    }

    /**
     * @param watermark the new watermark in microseconds; never moved backwards
     * @param stored every message currently stored: ids of others, and ids below the watermark, are dropped
     */
    void compact(long watermark, List<MaildirEntry> stored) throws IOException {
        watermarkMicros = Math.max(watermarkMicros, watermark);
        Set<String> keep = new HashSet<>();
        for (MaildirEntry e : stored) {
            if (e.deliveredMicros() >= watermarkMicros && delivered.contains(e.id())) {
                keep.add(e.id());
            }
        }
        delivered.retainAll(keep);
        appender.close();
        writeAtomically();
        appender = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        appendedSinceCompaction = 0;
    }

    private void writeAtomically() throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        StringBuilder text = new StringBuilder(MAGIC).append('\n').append("watermark ").append(watermarkMicros)
                .append('\n');
        for (String id : delivered) {
            text.append(id).append('\n');
        }
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").startsWith("Windows")) {
                throw e;
            }
        }
    }

    @Override
    public void close() throws IOException {
        appender.close();
    }
}
