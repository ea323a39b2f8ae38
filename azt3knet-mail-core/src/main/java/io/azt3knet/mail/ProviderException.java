package io.azt3knet.mail;

/**
 * A call to a provider (Mailjet, deSEC, ...) failed: either the provider answered with an error
 * ({@link ProviderServiceException}) or it did not answer at all ({@link ProviderTransportException}).
 */
public abstract sealed class ProviderException extends MailException
        permits ProviderServiceException, ProviderTransportException {

    private static final long serialVersionUID = 1L;

    private final String provider;

    protected ProviderException(String provider, String message, Throwable cause) {
        super(message, cause);
        this.provider = provider;
    }

    /** @return the provider's name, e.g. {@code "mailjet"} or {@code "desec"} */
    public String provider() {
        return provider;
    }

    /** @return whether repeating the same call later may succeed */
    public abstract boolean isRetryable();
}
