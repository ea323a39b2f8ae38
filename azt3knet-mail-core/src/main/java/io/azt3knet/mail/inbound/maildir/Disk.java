package io.azt3knet.mail.inbound.maildir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file-system steps {@link MaildirSink} makes durability out of, behind one seam so that tests can
 * observe each of them (and their order): creating a file (whose channel's {@code force} makes its content
 * durable), the atomic rename that publishes it, and forcing a directory so that the rename itself survives
 * a power loss.
 */
interface Disk {

    /** The real file system. */
    Disk REAL = new Disk() {
        @Override
        public FileChannel create(Path file) throws IOException {
            return PrivateFiles.createNew(file); // 0600: mail is private
        }

        @Override
        public void rename(Path from, Path to) throws IOException {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public void forceDirectory(Path dir) throws IOException {
            try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                channel.force(true);
            } catch (IOException e) {
                if (System.getProperty("os.name", "").startsWith("Windows")) {
                    return; // Windows cannot open a directory as a channel; NTFS journals renames itself
                }
                throw e;
            }
        }
    };

    /**
     * @param file a file that must not exist yet
     * @return a channel to write it; {@code force(true)} on it makes the content durable
     * @throws IOException if it cannot be created
     */
    FileChannel create(Path file) throws IOException;

    /**
     * Renames atomically: at every instant the target is either absent or complete.
     *
     * @param from the file
     * @param to its new name, in the same file system
     * @throws IOException if it cannot be renamed
     */
    void rename(Path from, Path to) throws IOException;

    /**
     * Makes the creations and renames done in a directory durable.
     *
     * @param dir the directory
     * @throws IOException if it cannot be forced
     */
    void forceDirectory(Path dir) throws IOException;
}
