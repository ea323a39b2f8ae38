package io.azt3knet.mail;

import java.util.List;
import java.util.OptionalInt;

/**
 * Sending a message over SMTP failed. {@link #kind()} says how, {@link #replyCode()} what the server answered (when
 * it answered), and {@link #retryable()} whether sending the same message again later may succeed without the risk
 * of delivering it twice: a {@code 4xx} reply ("try again later", such as {@code 451} or {@code 421}), or a
 * connection or timeout failure before the message was handed over. A failure after the message was handed over is
 * never retryable, since the server may have accepted it.
 */
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
    private final int replyCode; // -1: the server did not answer with a code
    private final boolean retryable;

    /**
     * @param kind how sending failed
     * @param message what happened, never containing a secret
     * @param refusedRecipients the refused addresses (empty unless {@link Kind#RECIPIENT_REFUSED})
     * @param cause the underlying failure
     */
    public MailSendException(Kind kind, String message, List<String> refusedRecipients, Throwable cause) {
        this(kind, message, refusedRecipients, OptionalInt.empty(), false, cause);
    }

    /**
     * @param kind how sending failed
     * @param message what happened, never containing a secret
     * @param refusedRecipients the refused addresses (empty unless {@link Kind#RECIPIENT_REFUSED})
     * @param replyCode the server's SMTP reply code, if it answered with one
     * @param retryable whether sending the same message again later may succeed and cannot deliver it twice
     * @param cause the underlying failure
     */
    public MailSendException(Kind kind, String message, List<String> refusedRecipients, OptionalInt replyCode,
            boolean retryable, Throwable cause) {
        super(message, cause);
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
        this.refusedRecipients = List.copyOf(refusedRecipients);
        this.replyCode = replyCode.orElse(-1);
        this.retryable = retryable;
    }

    /** @return how sending failed */
    public Kind kind() {
        return kind;
    }

    /** @return the recipients the server refused */
    public List<String> refusedRecipients() {
        return refusedRecipients;
    }

    /** @return the SMTP reply code the server refused with ({@code 451}, {@code 535}, {@code 554}...), if any */
    public OptionalInt replyCode() {
        return replyCode < 0 ? OptionalInt.empty() : OptionalInt.of(replyCode);
    }

    /**
     * @return whether sending the same message again later may succeed and cannot deliver it twice: a {@code 4xx}
     *     reply, or a connection or timeout failure before the message was handed over
     */
    public boolean retryable() {
        return retryable;
    }
}
