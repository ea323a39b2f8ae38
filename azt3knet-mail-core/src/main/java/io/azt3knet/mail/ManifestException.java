package io.azt3knet.mail;

import java.nio.file.Path;

/**
 * A population manifest cannot be used: the file is not a manifest, is malformed, has a format version this
 * library does not know, names agents that are not in it, or belongs to another domain than the one configured.
 * The message names the file and what was wrong; fix the file or the command, nothing was written.
 */
public final class ManifestException extends MailException {

    private static final long serialVersionUID = 1L;

    /**
     * @param file the manifest file
     * @param problem what is wrong with it
     */
    public ManifestException(Path file, String problem) {
        super("population manifest " + file + ": " + problem);
    }

    /** @param problem what is wrong, naming the manifest */
    public ManifestException(String problem) {
        super(problem);
    }
}
