package io.azt3knet.mail.internal.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How the one retry layer behaves: up to {@code maxAttempts} attempts, exponential backoff with full jitter
 * (a random delay between zero and {@code min(maxDelay, baseDelay * 2^(attempt-1))}), a server's
 * {@code Retry-After} honoured up to {@code maxRetryAfter}; a longer {@code Retry-After} is not slept but
 * reported as a {@link io.azt3knet.mail.QuotaExhaustedException}.
 *
 * @param maxAttempts attempts in all, at least 1
 * @param baseDelay the first backoff ceiling
 * @param maxDelay the largest backoff ceiling
 * @param maxRetryAfter the longest server-requested wait to honour
 */
public record RetrySettings(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {

    /** Validates. */
    public RetrySettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0 || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("delays must be non-negative and maxDelay >= baseDelay");
        }
    }

    /** @return 5 attempts, 200 ms base, 10 s max backoff, Retry-After honoured up to 2 minutes */
    public static RetrySettings defaults() {
        return new RetrySettings(5, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMinutes(2));
    }

    /** @return a single attempt: no retries */
    public static RetrySettings none() {
        return new RetrySettings(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /** @param n attempts @return a copy */
    public RetrySettings withMaxAttempts(int n) {
        return new RetrySettings(n, baseDelay, maxDelay, maxRetryAfter);
    }

    /** @param base base delay @param max max delay @return a copy */
    public RetrySettings withBackoff(Duration base, Duration max) {
        return new RetrySettings(maxAttempts, base, max, maxRetryAfter);
    }

    /** @param cap longest Retry-After to sleep @return a copy */
    public RetrySettings withMaxRetryAfter(Duration cap) {
        return new RetrySettings(maxAttempts, baseDelay, maxDelay, cap);
    }

    /**
     * @param attempt the attempt that just failed, from 1
     * @param random a number in [0, 1)
     * @return the full-jitter backoff before the next attempt
     */
    Duration backoff(int attempt, double random) {
        long ceiling = baseDelay.toMillis() << Math.min(Math.max(attempt - 1, 0), 30);
        long capped = Math.min(Math.max(ceiling, 0), maxDelay.toMillis());
        return Duration.ofMillis((long) (capped * random));
    }
}
