package io.azt3knet.mail;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The provider answered and said no: an HTTP status that is not a success, with the provider's own
 * message (or the status reason when the body was empty, HTML or not JSON).
 */
public non-sealed class ProviderServiceException extends ProviderException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String providerMessage;
    private final @Nullable String requestId;
    private final @Nullable Duration retryAfter;

    /**
     * For subclasses: builds the exception from a finished builder.
     *
     * @param b the builder
     */
    protected ProviderServiceException(Builder b) {
        super(b.provider, b.provider + " answered " + b.statusCode + " to " + b.operation + ": " + b.message
                + (b.requestId == null ? "" : " (request id " + b.requestId + ")"), null);
        this.statusCode = b.statusCode;
        this.providerMessage = b.message;
        this.requestId = b.requestId;
        this.retryAfter = b.retryAfter;
    }

    /**
     * @param provider the provider's name
     * @param operation what was attempted, e.g. {@code "POST /v3/REST/parseroute"}
     * @param statusCode the HTTP status the provider answered
     * @return a builder; {@link Builder#message(String)} is expected, the rest is optional
     */
    public static Builder builder(String provider, String operation, int statusCode) {
        return new Builder(provider, operation, statusCode);
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

    /** Builds a {@link ProviderServiceException}. */
    public static final class Builder {
        private final String provider;
        private final String operation;
        private final int statusCode;
        private String message = "";
        private @Nullable String requestId;
        private @Nullable Duration retryAfter;

        private Builder(String provider, String operation, int statusCode) {
            this.provider = Objects.requireNonNull(provider, "provider");
            this.operation = Objects.requireNonNull(operation, "operation");
            if (statusCode < 100 || statusCode > 599) {
                throw new IllegalArgumentException("not an HTTP status: " + statusCode);
            }
            this.statusCode = statusCode;
        }

        /**
         * @param message the provider's error text (or the status reason when it gave none); never a secret
         * @return this builder
         */
        public Builder message(String message) {
            this.message = Objects.requireNonNull(message, "message");
            return this;
        }

        /**
         * @param requestId the provider's request or error identifier
         * @return this builder
         */
        public Builder requestId(String requestId) {
            this.requestId = Objects.requireNonNull(requestId, "requestId");
            return this;
        }

        /**
         * @param retryAfter how long the provider asked to wait
         * @return this builder
         */
        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
            return this;
        }

        /** @return the exception */
        public ProviderServiceException build() {
            return new ProviderServiceException(this);
        }
    }
}
