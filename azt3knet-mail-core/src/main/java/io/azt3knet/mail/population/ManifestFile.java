package io.azt3knet.mail.population;

import io.azt3knet.mail.ManifestException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PopulationManifest} kept on disk while a run changes it. Every write is atomic
 * ({@link PopulationManifest#write(Path)}).
 *
 * <p>{@link #replace(PopulationManifest)} writes at once: it is how agents are recorded <em>before</em> their
 * mailboxes are created, so that a killed run never leaves a mailbox the file does not mention.
 * {@link #record(ManifestAgent)} changes one agent in memory and writes when the last write is older than the
 * flush interval (one second by default), so that a run of 100,000 agents does not rewrite the file 100,000 times;
 * {@link #flush()} writes what is left. A change that a crash kept from the file is one the next run repeats: an
 * agent still {@code pending} is confirmed by the next apply.
 *
 * <p>Thread-safe. One process per file: the file is not locked against other processes.
 *
 * <pre>{@code
 * ManifestFile file = ManifestFile.open(Path.of("population.json"));
 * ProvisioningReport report = mail.apply(file, listener);   // writes as it goes and flushes at the end
 * }</pre>
 */
public final class ManifestFile {

    private final Path path;
    private final Duration flushInterval;
    private final PopulationManifest header;
    private final LinkedHashMap<String, ManifestAgent> agents = new LinkedHashMap<>();
    private @Nullable PopulationManifest snapshot;
    private boolean dirty;
    private long lastWriteNanos;
    private int writes;

    private ManifestFile(Path path, PopulationManifest manifest, Duration flushInterval) {
        this.path = Objects.requireNonNull(path, "path");
        this.flushInterval = flushInterval;
        this.header = manifest.withoutAgents();
        this.snapshot = manifest;
        manifest.agents().forEach(a -> agents.put(a.id(), a));
        this.lastWriteNanos = System.nanoTime();
    }

    /**
     * Opens an existing manifest file.
     *
     * @param path the file
     * @return the file, holding what it holds on disk
     * @throws ManifestException if there is no file or it is not a valid manifest
     */
    public static ManifestFile open(Path path) {
        return new ManifestFile(path, PopulationManifest.read(path), Duration.ofSeconds(1));
    }

    /**
     * Writes a new manifest file (replacing any file there).
     *
     * @param path the file
     * @param manifest what it holds
     * @return the file
     * @throws UncheckedIOException if it cannot be written
     */
    public static ManifestFile create(Path path, PopulationManifest manifest) {
        manifest.write(path);
        ManifestFile file = new ManifestFile(path, manifest, Duration.ofSeconds(1));
        file.writes = 1;
        return file;
    }

    /**
     * @param path a path
     * @return whether a file is there
     */
    public static boolean exists(Path path) {
        return Files.exists(path);
    }

    /**
     * @param interval the longest time a change made through {@link #record(ManifestAgent)} waits for the next
     *     write; zero writes on every change
     * @return a view of the same file with that interval (sharing nothing: use one of them)
     */
    public ManifestFile withFlushInterval(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the flush interval must not be negative");
        }
        return new ManifestFile(path, current(), interval);
    }

    /** @return the file's path */
    public Path path() {
        return path;
    }

    /** @return the manifest as changed so far (written or about to be) */
    public synchronized PopulationManifest current() {
        PopulationManifest s = snapshot;
        if (s == null) {
            s = header.withAgents(agents.values());
            snapshot = s;
        }
        return s;
    }

    /**
     * Replaces the whole manifest and writes it now.
     *
     * @param manifest the new content; same domain, seed and instant
     * @throws IllegalArgumentException if it is another population (domain, prefix, seed or instant differ)
     * @throws UncheckedIOException if it cannot be written; the file is then unchanged
     */
    public synchronized void replace(PopulationManifest manifest) {
        if (!manifest.withoutAgents().sameHeader(header)) {
            throw new IllegalArgumentException("another population: domain, prefix, seed and instant must not change");
        }
        manifest.write(path);
        agents.clear();
        manifest.agents().forEach(a -> agents.put(a.id(), a));
        snapshot = manifest;
        dirty = false;
        writes++;
        lastWriteNanos = System.nanoTime();
    }

    /**
     * Changes agents already in the manifest (by id); writes when the flush interval has passed.
     *
     * @param changed the agents as they are now
     * @throws IllegalArgumentException if an agent is not in the manifest or its address changed
     */
    public synchronized void record(Collection<ManifestAgent> changed) {
        for (ManifestAgent a : changed) {
            ManifestAgent old = agents.get(a.id());
            if (old == null || !old.address().equals(a.address())) {
                throw new IllegalArgumentException("agent '" + a.id() + "' is not in the manifest with address "
                        + a.address() + "; add agents with replace()");
            }
            if (!old.equals(a)) {
                agents.put(a.id(), a);
                snapshot = null;
                dirty = true;
            }
        }
        if (dirty && System.nanoTime() - lastWriteNanos >= flushInterval.toNanos()) {
            flush();
        }
    }

    /**
     * @param changed the agent as it is now
     * @see #record(Collection)
     */
    public void record(ManifestAgent changed) {
        record(List.of(changed));
    }

    /**
     * Writes the changes not written yet, if any.
     *
     * @throws UncheckedIOException if it cannot be written
     */
    public synchronized void flush() {
        if (!dirty) {
            return;
        }
        current().write(path);
        dirty = false;
        writes++;
        lastWriteNanos = System.nanoTime();
    }

    /** @return how many times this instance wrote the file (for tests and reports) */
    public synchronized int writes() {
        return writes;
    }

    @Override
    public String toString() {
        return "ManifestFile[" + path + "]";
    }
}
