package io.azt3knet.mail;

/**
 * An inbound webhook call was refused. {@link #reason()} says why and maps to the HTTP status the
 * webhook answers.
 */
public final class InboundRejectedException extends MailException {

    private static final long serialVersionUID = 1L;

    /** Why an inbound call was refused. */
    public enum Reason {
        /** Missing or wrong credentials (HTTP 401). */
        UNAUTHENTICATED(401),
        /** The body is over the configured limit (HTTP 413). */
        TOO_LARGE(413),
        /** The body is not the expected JSON payload (HTTP 400). */
        MALFORMED(400),
        /** The HTTP method is not POST (HTTP 405). */
        METHOD_NOT_ALLOWED(405);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        /** @return the HTTP status that answers this rejection */
        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Reason reason;

    /**
     * @param reason why
     * @param message what was wrong, never containing a secret
     */
    public InboundRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * @param reason why
     * @param message what was wrong, never containing a secret
     * @param cause the underlying failure
     */
    public InboundRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** @return why the call was refused */
    public Reason reason() {
        return reason;
    }
}
