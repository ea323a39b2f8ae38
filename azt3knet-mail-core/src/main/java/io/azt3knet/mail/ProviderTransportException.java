package io.azt3knet.mail;

/**
 * No answer from the provider: connection refused or reset, TLS failure, or a timeout. Whether a
 * non-idempotent request took effect is unknown; callers that must not duplicate work re-check first.
 */
public final class ProviderTransportException extends ProviderException {

    private static final long serialVersionUID = 1L;

    /**
     * @param provider the provider's name
     * @param operation what was attempted
     * @param cause the I/O failure
     */
    public ProviderTransportException(String provider, String operation, Throwable cause) {
        super(provider, "no answer from " + provider + " to " + operation + ": " + describe(cause), cause);
    }

    private static String describe(Throwable cause) {
        String msg = cause.getMessage();
        return cause.getClass().getSimpleName() + (msg == null ? "" : " (" + msg + ")");
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
