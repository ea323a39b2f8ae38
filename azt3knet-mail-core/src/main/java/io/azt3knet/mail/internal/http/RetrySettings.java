package io.azt3knet.mail.internal.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How the one retry layer behaves. Failures (5xx, I/O) get up to {@code maxAttempts} attempts; throttling
 * (429) has its own budget in time, {@code maxThrottleWait}, so that a provider slowing a batch down delays it
 * instead of failing it. Between attempts: exponential backoff with full jitter (a random delay between zero and
 * {@code min(maxDelay, baseDelay * 2^(attempt-1))}), or the server's {@code Retry-After} when it sends one and it
 * is at most {@code maxRetryAfter}; a longer {@code Retry-After} is never slept but reported at once
 * ({@link io.azt3knet.mail.QuotaExhaustedException} for a 429).
 *
 * @param maxAttempts attempts in all for failures, at least 1
 * @param baseDelay the first backoff ceiling
 * @param maxDelay the largest backoff ceiling
 * @param maxRetryAfter the longest server-requested wait to honour
 * @param maxThrottleWait the longest a request keeps retrying 429 answers, zero for no retry of 429
 */
public record RetrySettings(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter,
        Duration maxThrottleWait) {

    /** Validates. */
    public RetrySettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        Objects.requireNonNull(maxThrottleWait, "maxThrottleWait");
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0 || maxRetryAfter.isNegative()
                || maxThrottleWait.isNegative()) {
            throw new IllegalArgumentException("delays must be non-negative and maxDelay >= baseDelay");
        }
    }

    /**
     * @return 5 attempts for failures, 200 ms base and 10 s max backoff, Retry-After honoured up to 2 minutes,
     *     429s retried for up to 10 minutes
     */
    public static RetrySettings defaults() {
        return new RetrySettings(5, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMinutes(2),
                Duration.ofMinutes(10));
    }

    /** @return a single attempt: no retries, also not on 429 */
    public static RetrySettings none() {
        return new RetrySettings(1, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /**
     * @param n attempts
     * @return a copy
     */
    public RetrySettings withMaxAttempts(int n) {
        return new RetrySettings(n, baseDelay, maxDelay, maxRetryAfter, maxThrottleWait);
    }

    /**
     * @param base base delay
     * @param max max delay
     * @return a copy
     */
    public RetrySettings withBackoff(Duration base, Duration max) {
        return new RetrySettings(maxAttempts, base, max, maxRetryAfter, maxThrottleWait);
    }

    /**
     * @param cap longest Retry-After to sleep
     * @return a copy
     */
    public RetrySettings withMaxRetryAfter(Duration cap) {
        return new RetrySettings(maxAttempts, baseDelay, maxDelay, cap, maxThrottleWait);
    }

    /**
     * @param budget how long a request keeps retrying 429 answers
     * @return a copy
     */
    public RetrySettings withMaxThrottleWait(Duration budget) {
        return new RetrySettings(maxAttempts, baseDelay, maxDelay, maxRetryAfter, budget);
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
