package io.azt3knet.mail.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.azt3knet.mail.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * File plumbing of the sandbox directory: directories 0700, files 0600 (they hold passwords, keys and mail),
 * every write to a temporary file that is forced and then renamed or linked into place, so a reader never
 * sees half a file and a crash leaves the old state.
 */
final class SandboxFiles {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private SandboxFiles() {
    }

    /**
     * @param dir a directory
     * @return the directory, created with mode 0700 (parents too) when missing
     */
    static Path directory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Path parent = dir.toAbsolutePath().getParent();
                if (parent != null && !Files.isDirectory(parent)) {
                    directory(parent);
                }
                try {
                    Files.createDirectory(dir, dirAttributes());
                } catch (FileAlreadyExistsException raced) {
                    // another thread or process made it
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the sandbox directory " + dir + ": " + e.getMessage()
                    + "; check the permissions of --sandbox-dir", e);
        }
    }

    /** Writes the bytes atomically (temporary file, force, rename); the file has mode 0600. */
    static void write(Path file, byte[] content) {
        Path tmp = temporary(file, content);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates the file with the bytes unless it exists, atomically: two threads or processes racing create one
     * file, and a reader sees either no file or the whole content.
     *
     * @return whether this call created the file
     */
    static boolean createExclusively(Path file, byte[] content) {
        Path tmp = temporary(file, content);
        try {
            Files.createLink(file, tmp); // link(2) fails when the name exists: the atomic "create if absent"
            return true;
        } catch (FileAlreadyExistsException exists) {
            return false;
        } catch (UnsupportedOperationException | IOException noLinks) {
            try { // a file system without hard links: rename, checking first (not atomic across processes)
                if (Files.exists(file)) {
                    return false;
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
            }
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** @return the file's bytes, or empty when it does not exist */
    static Optional<byte[]> read(Path file) {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** @return the file as JSON, or empty when it does not exist */
    static Optional<JsonNode> readJson(Path file) {
        return read(file).map(bytes -> {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                // the parser's message may quote the file, which can hold a password: not repeated here
                throw new ConfigurationException("the sandbox file " + file + " is damaged (not valid JSON); delete it, "
                        + "or the whole sandbox directory, and run again");
            }
        });
    }

    /** @return the JSON as bytes */
    static byte[] json(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stray temporary file is harmless
        }
    }

    private static Path temporary(Path file, byte[] content) {
        Path dir = directory(file.toAbsolutePath().getParent());
        Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), fileAttributes())) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
            return tmp;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write in " + dir + ": " + e.getMessage(), e);
        }
    }

    static FileAttribute<?>[] fileAttributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] dirAttributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIR)} : new FileAttribute<?>[0];
    }
}
