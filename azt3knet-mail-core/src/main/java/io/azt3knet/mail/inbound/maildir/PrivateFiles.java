package io.azt3knet.mail.inbound.maildir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates stored mail as private: files {@code 0600}, directories {@code 0700}, whatever the process umask.
 * The permissions are given at creation (so a file is never readable by others, not even for a moment) and
 * set again right after when they differ, since a umask can only take bits away and an odd one ({@code 0277})
 * would leave the owner without write access. On a file system without POSIX permissions (Windows) the defaults apply.
 */
final class PrivateFiles {

    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    /**
     * Directories in which a file was created {@code 0600} as asked: what takes bits away (the process umask, a
     * directory's default ACL) does not change for the next file, so the stat that checks each new file is spared
     * there (a Maildir's {@code tmp/} receives every message). Bounded: cleared when full.
     */
    private static final Map<Path, Boolean> CREATED_RIGHT = new ConcurrentHashMap<>();
    private static final int MAX_REMEMBERED = 1024;

    private PrivateFiles() {
    }

    private static boolean posix(FileSystem fs) {
        return fs.supportedFileAttributeViews().contains("posix");
    }

    /**
     * @param file a file that must not exist yet
     * @return a channel writing the new file, {@code 0600}
     * @throws IOException if it exists or cannot be created
     */
    static FileChannel createNew(Path file) throws IOException {
        return open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    /**
     * @param file a file to append to, created {@code 0600} if missing
     * @return a channel appending to it (every write goes to the end)
     * @throws IOException if it cannot be opened or created
     */
    static FileChannel openForAppend(Path file) throws IOException {
        return open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND));
    }

    private static FileChannel open(Path file, Set<StandardOpenOption> options) throws IOException {
        if (!posix(file.getFileSystem())) {
            return FileChannel.open(file, options);
        }
        FileChannel channel = FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(FILE));
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && CREATED_RIGHT.containsKey(dir)) {
            return channel;
        }
        try {
            if (!ensure(file, FILE) && dir != null) {
                if (CREATED_RIGHT.size() >= MAX_REMEMBERED) {
                    CREATED_RIGHT.clear();
                }
                CREATED_RIGHT.put(dir, Boolean.TRUE);
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    /**
     * Sets the permissions unless they are already right: a stat is cheaper than a journaled change.
     *
     * @return whether they had to be set
     */
    private static boolean ensure(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (Files.getPosixFilePermissions(path).equals(permissions)) {
            return false;
        }
        Files.setPosixFilePermissions(path, permissions);
        return true;
    }

    /**
     * Creates a directory and any missing parents, each {@code 0700}; existing ones are left as they are.
     *
     * @param dir the directory
     * @return the directories this call created, outermost first (empty if it existed)
     * @throws IOException if one cannot be created
     */
    static List<Path> createDirectories(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(0, p);
        }
        if (missing.isEmpty()) {
            return List.of();
        }
        boolean posix = posix(dir.getFileSystem());
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIRECTORY)} : new FileAttribute<?>[0];
        List<Path> created = new ArrayList<>();
        for (Path p : missing) {
            try {
                Files.createDirectory(p, attributes);
                created.add(p);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                if (!Files.isDirectory(p)) {
                    throw raced;
                }
                continue;
            }
            if (posix) {
                ensure(p, DIRECTORY);
            }
        }
        return created;
    }
}
