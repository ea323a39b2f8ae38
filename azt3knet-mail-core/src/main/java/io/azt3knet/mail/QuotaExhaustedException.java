package io.azt3knet.mail;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The provider's rate limit leaves no slot before the longest wait this client is allowed to sleep:
 * the call was not made (or was refused) and may be repeated at {@link #availableAt()}.
 */
public final class QuotaExhaustedException extends ProviderServiceException {

    private static final long serialVersionUID = 1L;

    private final Instant availableAt;

    /**
     * @param provider the provider's name
     * @param operation what was attempted
     * @param availableAt when the next slot is expected
     * @param detail which limit is exhausted
     */
    public QuotaExhaustedException(String provider, String operation, Instant availableAt, String detail) {
        super(ProviderServiceException.builder(provider, operation, 429)
                .message("quota exhausted until " + availableAt + " (" + detail + ")"));
        this.availableAt = availableAt;
    }

    /** @return when the provider is expected to accept the call again */
    public Instant availableAt() {
        return availableAt;
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.empty();
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
