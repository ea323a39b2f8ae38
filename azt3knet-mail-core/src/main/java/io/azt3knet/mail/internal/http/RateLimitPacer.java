package io.azt3knet.mail.internal.http;

import io.azt3knet.mail.internal.util.Sleeper;
import io.azt3knet.mail.QuotaExhaustedException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Fixed rate limits, several sliding windows at once, one bucket per pacing key. A request's pacing key is
 * {@code category} or {@code category:bucket} (for example {@code write:example.org}): the windows configured
 * for the category apply to each bucket separately, so writes to different domains do not compete. A request
 * whose category has no windows is not paced.
 *
 * <p>A request is granted at the earliest moment every window of its bucket allows it (at most
 * {@code permits} grants in any {@code period}, counting grants already promised to waiting requests). That
 * moment is decided first, for all windows together: when it is more than {@code maxWait} away the request
 * fails at once with {@link QuotaExhaustedException} and takes no permit from any window; otherwise the permit
 * is reserved and the caller sleeps once, never longer than {@code maxWait}. Grants are handed out in order of
 * arrival. (Taking a permit from several independent limiters one after the other could waste permits of the
 * earlier ones when a later one refuses.)
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

    /** The grants of one pacing key, in non-decreasing time order; only the newest as many as the largest window. */
    private static final class Bucket {
        private final long[] grants;
        private int head;
        private int size;

        Bucket(int capacity) {
            this.grants = new long[capacity];
        }

        /** @param fromNewest 1 for the newest grant */
        long newest(int fromNewest) {
            return grants[(head + size - fromNewest) % grants.length];
        }

        void add(long at) {
            if (size == grants.length) {
                head = (head + 1) % grants.length;
                size--;
            }
            grants[(head + size) % grants.length] = at;
            size++;
        }
    }

    private final String provider;
    private final Map<String, List<Window>> windows;
    private final Duration maxWait;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private RateLimitPacer(Builder b) {
        this.provider = b.provider;
        this.windows = Map.copyOf(b.windows);
        this.maxWait = b.maxWait;
        this.clock = b.clock;
        this.nanoTime = b.nanoTime;
        this.sleeper = b.sleeper;
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
        Bucket bucket = buckets.computeIfAbsent(key,
                k -> new Bucket(ws.stream().mapToInt(Window::permits).max().orElseThrow()));
        long wait;
        synchronized (bucket) {
            long now = nanoTime.getAsLong();
            long at = bucket.size == 0 ? now : Math.max(now, bucket.newest(1)); // in order of arrival
            Window binding = ws.get(0);
            for (Window w : ws) {
                if (bucket.size >= w.permits()) {
                    long free = bucket.newest(w.permits()) + w.period().toNanos();
                    if (free > at) {
                        at = free;
                        binding = w;
                    }
                }
            }
            wait = at - now;
            if (wait > maxWait.toNanos()) {
                throw new QuotaExhaustedException(provider, request.describe(), clock.instant().plusNanos(wait),
                        "client-side limit of " + binding.permits() + " per " + binding.period() + " for '" + key
                                + "' needs a wait of " + Duration.ofNanos(wait).toSeconds() + " s, longer than the maximum of "
                                + maxWait.toSeconds() + " s; nothing was sent");
            }
            bucket.add(at);
        }
        if (wait > 0) {
            try {
                sleeper.sleepNanos(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QuotaExhaustedException(provider, request.describe(), clock.instant(), "interrupted while pacing");
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
        private LongSupplier nanoTime = System::nanoTime;
        private Sleeper sleeper = Sleeper.SYSTEM;

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
         * @param wait the longest a request may wait for a permit, in total over all windows, before failing with
         *     {@link QuotaExhaustedException}
         * @return this builder
         */
        public Builder maxWait(Duration wait) {
            if (wait.isNegative()) {
                throw new IllegalArgumentException("maxWait must not be negative");
            }
            this.maxWait = wait;
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

        /**
         * Replaces the time source and the way of waiting, so that tests pace without waiting.
         *
         * @param monotonicNanos a monotonic clock in nanoseconds, like {@link System#nanoTime()}
         * @param s how to wait
         * @return this builder
         */
        public Builder ticker(LongSupplier monotonicNanos, Sleeper s) {
            this.nanoTime = Objects.requireNonNull(monotonicNanos, "monotonicNanos");
            this.sleeper = Objects.requireNonNull(s, "sleeper");
            return this;
        }

        /** @return the pacer */
        public RateLimitPacer build() {
            return new RateLimitPacer(this);
        }
    }
}
