package io.azt3knet.mail;


/**
 * The message store could not be read or changed (a file system error, a message that cannot be parsed).
 * The message names the mailbox or file concerned and the underlying error; retrying may help when the
 * cause was transient (a full disk, a file system remounted read-only), otherwise check the store's
 * directory and its permissions.
 */
public final class MessageStoreException extends MailException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what could not be done and on what
     * @param cause the underlying failure
     */
    public MessageStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
