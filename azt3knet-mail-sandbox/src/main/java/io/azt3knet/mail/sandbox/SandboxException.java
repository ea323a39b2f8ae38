package io.azt3knet.mail.sandbox;

import io.azt3knet.mail.MailException;

/**
 * The sandbox could not do what was asked: its directory is unreadable or holds a damaged file, its ports are
 * taken, or no sandbox is running where one is needed. The message names the file or port and what to do.
 */
public final class SandboxException extends MailException {

    private static final long serialVersionUID = 1L;

    /** @param message what went wrong and what to do */
    public SandboxException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and what to do
     * @param cause the underlying failure
     */
    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
