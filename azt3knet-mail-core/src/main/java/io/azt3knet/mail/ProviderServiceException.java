package io.azt3knet.mail;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The provider answered and said no: an HTTP status that is not a success, with the provider's own
 * message (or the status reason when the body was empty, HTML or not JSON).
 */
public class ProviderServiceException extends ProviderException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String providerMessage;
    private final @Nullable String requestId;
    private final @Nullable Duration retryAfter;

    /**
     * @param provider the provider's name
     * @param operation what was attempted, e.g. {@code "POST /v3/REST/parseroute"}
     * @param statusCode the HTTP status
     * @param providerMessage the provider's error text, never a secret
     * @param requestId the provider's request or error identifier, if it gave one
     * @param retryAfter how long the provider asked to wait, if it said
     */
    public ProviderServiceException(String provider, String operation, int statusCode, String providerMessage,
            Optional<String> requestId, Optional<Duration> retryAfter) {
        super(provider, provider + " answered " + statusCode + " to " + operation + ": " + providerMessage
                + requestId.map(id -> " (request id " + id + ")").orElse(""), null);
        this.statusCode = statusCode;
        this.providerMessage = providerMessage;
        this.requestId = requestId.orElse(null);
        this.retryAfter = retryAfter.orElse(null);
    }

    /** @return the HTTP status code */
    public int statusCode() {
        return statusCode;
    }

    /** @return the provider's error message, or the HTTP reason when the body carried none */
    public String providerMessage() {
        return providerMessage;
    }

    /** @return the provider's request or error identifier to quote to its support */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** @return how long the provider asked to wait before trying again */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** @return whether the provider throttled the call (HTTP 429) */
    public boolean isThrottling() {
        return statusCode == 429;
    }

    @Override
    public boolean isRetryable() {
        return statusCode == 429 || statusCode == 500 || statusCode == 502 || statusCode == 503 || statusCode == 504;
    }
}
