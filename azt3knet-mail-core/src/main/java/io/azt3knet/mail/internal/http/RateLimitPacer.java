package io.azt3knet.mail.internal.http;

import dev.failsafe.RateLimiter;
import io.azt3knet.mail.QuotaExhaustedException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed rate limits, several windows at once, one bucket per pacing key (Failsafe bursty rate limiters).
 * A request's pacing key is {@code category} or {@code category:bucket} (for example
 * {@code write:example.org}): the windows configured for the category apply to each bucket separately, so
 * writes to different domains do not compete. A request whose category has no windows is not paced.
 *
 * <pre>{@code
 * RateLimitPacer pacer = RateLimitPacer.builder("desec")
 *         .limit("write", 2, Duration.ofSeconds(1)).limit("write", 15, Duration.ofMinutes(1))
 *         .maxWait(Duration.ofMinutes(2))
 *         .build();
 * }</pre>
 */
public final class RateLimitPacer implements RequestPacer {

    private record Window(int permits, Duration period) {
    }

    private final String provider;
    private final Map<String, List<Window>> windows;
    private final Duration maxWait;
    private final Clock clock;
    private final Map<String, List<RateLimiter<Object>>> buckets = new ConcurrentHashMap<>();

    private RateLimitPacer(Builder b) {
        this.provider = b.provider;
        this.windows = Map.copyOf(b.windows);
        this.maxWait = b.maxWait;
        this.clock = b.clock;
    }

    /**
     * @param provider provider name, for error messages
     * @return a builder
     */
    public static Builder builder(String provider) {
        return new Builder(provider);
    }

    @Override
    public void acquire(HttpRequestSpec request) {
        String key = request.pacingKey();
        int colon = key.indexOf(':');
        String category = colon < 0 ? key : key.substring(0, colon);
        List<Window> ws = windows.get(category);
        if (ws == null) {
            return;
        }
        List<RateLimiter<Object>> limiters = buckets.computeIfAbsent(key, k -> ws.stream()
                .map(w -> RateLimiter.burstyBuilder(w.permits(), w.period()).build())
                .toList());
        for (int i = 0; i < limiters.size(); i++) {
            boolean acquired;
            try {
                acquired = limiters.get(i).tryAcquirePermit(maxWait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QuotaExhaustedException(provider, request.describe(), clock.instant(), "interrupted while pacing");
            }
            if (!acquired) {
                Window w = ws.get(i);
                throw new QuotaExhaustedException(provider, request.describe(), clock.instant().plus(w.period()),
                        "client-side limit of " + w.permits() + " per " + w.period() + " for '" + key
                                + "' needs a wait longer than " + maxWait);
            }
        }
    }

    @Override
    public void onResponse(HttpRequestSpec request, int status) {
        // fixed limits do not adapt; the retry layer honours Retry-After
    }

    /** Builds a {@link RateLimitPacer}. */
    public static final class Builder {
        private final String provider;
        private final Map<String, List<Window>> windows = new LinkedHashMap<>();
        private Duration maxWait = Duration.ofMinutes(2);
        private Clock clock = Clock.systemUTC();

        private Builder(String provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
        }

        /**
         * Adds a window: at most {@code permits} requests per {@code period} per bucket of the category.
         *
         * @param category the pacing key category, e.g. {@code "write"}
         * @param permits requests allowed per period
         * @param period the window
         * @return this builder
         */
        public Builder limit(String category, int permits, Duration period) {
            if (permits < 1 || period.isZero() || period.isNegative()) {
                throw new IllegalArgumentException("a limit needs positive permits and period");
            }
            windows.computeIfAbsent(category, c -> new ArrayList<>()).add(new Window(permits, period));
            return this;
        }

        /**
         * @param wait the longest a request may wait for a permit before failing with
         *     {@link QuotaExhaustedException}
         * @return this builder
         */
        public Builder maxWait(Duration wait) {
            this.maxWait = Objects.requireNonNull(wait, "wait");
            return this;
        }

        /**
         * @param c clock used for {@code availableAt} in errors
         * @return this builder
         */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** @return the pacer */
        public RateLimitPacer build() {
            return new RateLimitPacer(this);
        }
    }
}
