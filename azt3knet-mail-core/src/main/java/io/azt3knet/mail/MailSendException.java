package io.azt3knet.mail;

import java.util.List;

/** Sending a message over SMTP failed. {@link #kind()} says how. */
public final class MailSendException extends MailException {

    private static final long serialVersionUID = 1L;

    /** How sending failed. */
    public enum Kind {
        /** The server refused the login. Check the SMTP username and password. */
        AUTHENTICATION,
        /** The server refused one or more recipients. */
        RECIPIENT_REFUSED,
        /** Connecting, reading or writing took longer than the configured timeout. */
        TIMEOUT,
        /** The connection could not be made or secured (refused, TLS handshake or certificate failure). */
        CONNECTION,
        /** The message could not be built or the server refused it. */
        MESSAGE
    }

    private final Kind kind;
    private final List<String> refusedRecipients;

    /**
     * @param kind how sending failed
     * @param message what happened, never containing a secret
     * @param refusedRecipients the refused addresses (empty unless {@link Kind#RECIPIENT_REFUSED})
     * @param cause the underlying failure
     */
    public MailSendException(Kind kind, String message, List<String> refusedRecipients, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.refusedRecipients = List.copyOf(refusedRecipients);
    }

    /** @return how sending failed */
    public Kind kind() {
        return kind;
    }

    /** @return the recipients the server refused */
    public List<String> refusedRecipients() {
        return refusedRecipients;
    }
}
