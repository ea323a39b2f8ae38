package io.azt3knet.mail.internal.http;

import io.azt3knet.mail.internal.util.Sleeper;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Finds a provider's rate limit by itself, for providers that publish none (Mailjet): requests are spaced at a
 * rate that is discovered the way TCP finds a path's capacity, as AWS SDK v2's adaptive retry mode does for AWS
 * services.
 *
 * <ul>
 *   <li><b>Slow start.</b> From a safe start rate the pace doubles every half second, but never beyond twice the
 *       rate actually sent (so that a phase with little demand does not build up a rate no one has tried).</li>
 *   <li><b>Multiplicative decrease.</b> A 429 to a request sent at the current pace sets the rate to
 *       {@value #BETA} of the rate that was sent; another 429 before any success lowers it faster (0.7², 0.7³, ...),
 *       so that a quota counted per minute, which refuses everything for the rest of the minute, is met by a few
 *       429s and a slow probe instead of a long run of them. 429s to requests already on their way at the old pace
 *       do not lower it again, nor do those in the second after a decrease, while a window counted per second still
 *       holds the requests sent before it, unless nothing but 429s comes back.</li>
 *   <li><b>CUBIC recovery.</b> After a decrease the rate follows {@code C·(t − K)³ + W}, where {@code W} is the
 *       rate at which the 429 came and {@code K} the time to get back to it: concave, so it lingers just under
 *       the limit it found, then convex, so that it probes for more once the limit has stayed quiet.</li>
 *   <li><b>Quotas over a long window.</b> A limit counted per minute (or longer) refuses everything once its
 *       budget is spent, for as long as the window holds the calls that spent it. When nothing but 429s came back
 *       for {@value #WALL_MILLIS} ms, at least {@value #WALL_REFUSALS} in a row, the pacer stops looking for a rate
 *       and probes: one call, then waits of 1, 2, 4 and at most {@value #MAX_PROBE_SECONDS} s between probes, so a
 *       wall of 45 s costs about ten 429s instead of a 429 per call. When a probe gets through, the calls answered
 *       since the previous wall (or the start), divided by the time since then, is the rate the quota sustains; it
 *       becomes a learned ceiling, so that the budget of the next window is spread over it instead of spent in a
 *       burst. The ceiling rises by a tenth each time a window's length passes without a wall or a 429 at the
 *       ceiling, so that a raised quota is found again; a 429 at the ceiling sets it just under the rate that met
 *       it, and a later wall learns again, but neither goes below 0.8 of the last lesson, so that scattered 429s
 *       cannot ratchet the pace down. Below the ceiling, 429s are met by the decrease and recovery above.</li>
 *   <li><b>Ceiling.</b> A configured rate is never exceeded; without one the pace is bounded only by what the
 *       provider answers (and by {@code maxPerSecond}).</li>
 * </ul>
 *
 * Thread-safe; it relies on {@link JsonHttpClient} calling {@link #onResponse} on the thread that called
 * {@link #acquire} for the same attempt. Time and sleeping are injectable.
 */
public final class CubicPacer implements RequestPacer {

    /** What a decrease multiplies the sent rate by. */
    static final double BETA = 0.7;
    /** CUBIC's scale: how fast the rate grows away from the last limit, in (requests/s) per s³. */
    static final double SCALE = 0.1;
    /** The lowest pace: one request every five seconds. */
    static final double FLOOR = 0.2;
    /** The rate at which a client starts. */
    public static final double START = 5;
    private static final double DOUBLING_SECONDS = 0.5;
    private static final double MEASURE_BUCKET_SECONDS = 0.5;
    private static final double SMOOTH = 0.8;
    private static final long RECHECK_MILLIS = 50;
    /** How long after a decrease a 429 is still blamed on the requests sent before it (a window of one second). */
    private static final long DRAIN_NANOS = 1_000_000_000L;
    /** 429s after a decrease, with no other answer in between, that lower the pace again within the drain time. */
    private static final int REFUSALS_BEFORE_STREAK = 2;
    /** Only 429s for this long: a quota over a long window is spent, and the pacer probes instead of pacing. */
    static final long WALL_MILLIS = 1_000;
    /**
     * 429s in a row (nothing else answered in between) that a wall takes besides its duration: scattered 429s from a
     * provider that is not out of quota (a fault, a noisy neighbour) almost never come eight in a row.
     */
    static final int WALL_REFUSALS = 8;
    /** A 429 at this share of a learned ceiling or more lowers the ceiling to {@value #LEARNED_BACKOFF} of the rate sent. */
    private static final double LEARNED_EDGE = 0.9;
    private static final double LEARNED_BACKOFF = 0.95;
    /** How far below the last learned rate a later wall, or a 429 at the ceiling, may set the learned ceiling. */
    private static final double LEARNED_KEEP = 0.8;
    /** The longest wait between two probes of a spent quota. */
    static final long MAX_PROBE_SECONDS = 8;
    /** What a learned ceiling grows by after each window without a wall. */
    private static final double LEARNED_GROWTH = 1.1;

    private final double ceiling;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private final long originNanos;
    private final ThreadLocal<Long> reservedByThisThread = new ThreadLocal<>();

    // all guarded by this
    private double rate;
    private boolean slowStart = true;
    private double slowStartBegan;
    private double lastMaxRate;
    private double lastThrottleTime;
    private double timeToLastMax;
    private int throttleStreak;
    private boolean answeredSinceDecrease;
    private int refusedSinceDecrease;
    private long lastDecreaseNanos;
    private int refusalsInARow; // 429s since the last other answer
    private long firstRefusalNanos; // when the first of them came; meaningless while there are none
    private boolean walled;
    private double probeSeconds;
    private long cycleStartNanos;
    private int answeredInCycle;
    private double learnedCeiling = Double.POSITIVE_INFINITY;
    private double learnedRate; // what the last wall taught, 0 before the first
    private double learnedWindowSeconds;
    private long learnedAtNanos;
    private double tokens = 1;
    private long lastRefillNanos;
    private double measuredRate;
    private double measureBucket;
    private int sentInBucket;

    /**
     * @param maxPerSecond the ceiling (a configured rate, or a sanity bound when none is configured)
     */
    public CubicPacer(double maxPerSecond) {
        this(maxPerSecond, System::nanoTime, Sleeper.SYSTEM);
    }

    /**
     * @param maxPerSecond the ceiling
     * @param nanoTime a monotonic clock
     * @param sleeper how to wait
     */
    public CubicPacer(double maxPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        if (!(maxPerSecond >= FLOOR)) {
            throw new IllegalArgumentException("the ceiling must be at least " + FLOOR + " per second");
        }
        this.ceiling = maxPerSecond;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.originNanos = nanoTime.getAsLong();
        this.rate = Math.min(START, ceiling);
        this.lastRefillNanos = originNanos;
        this.lastDecreaseNanos = originNanos - 1;
        this.cycleStartNanos = originNanos;
    }

    /**
     * Waits for a token. Tokens accrue at the current rate up to one (no bursts); a waiting caller looks again at
     * least every {@value #RECHECK_MILLIS} ms, so that a rate raised meanwhile applies to it at once.
     */
    @Override
    public void acquire(HttpRequestSpec request) {
        while (true) {
            long wait;
            synchronized (this) {
                long now = nanoTime.getAsLong();
                refill(now);
                if (tokens >= 1) {
                    tokens -= 1;
                    measure(seconds(now));
                    reservedByThisThread.set(now);
                    return;
                }
                wait = Math.min((long) ((1 - tokens) / rate * 1e9), RECHECK_MILLIS * 1_000_000L);
            }
            try {
                sleeper.sleepNanos(Math.max(wait, 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void refill(long now) {
        tokens = Math.min(1, tokens + (now - lastRefillNanos) / 1e9 * rate);
        lastRefillNanos = now;
    }

    @Override
    public synchronized void onResponse(HttpRequestSpec request, int status) {
        long nowNanos = nanoTime.getAsLong();
        double now = seconds(nowNanos);
        if (status == 429) {
            if (refusalsInARow++ == 0) {
                firstRefusalNanos = nowNanos;
            }
            if (walled || refusalsInARow >= WALL_REFUSALS && nowNanos - firstRefusalNanos >= WALL_MILLIS * 1_000_000L) {
                probe(nowNanos);
                return;
            }
            Long reserved = reservedByThisThread.get();
            if (reserved != null && reserved <= lastDecreaseNanos) {
                return; // sent at the old pace, before the last decrease: already accounted for
            }
            if (reserved != null && reserved < lastDecreaseNanos + DRAIN_NANOS
                    && (answeredSinceDecrease || ++refusedSinceDecrease < REFUSALS_BEFORE_STREAK)) {
                // the provider's window still counts the requests sent before the decrease; only when nothing at
                // all gets through (a quota per minute is spent) does the pace go down again at once
                return;
            }
            answeredSinceDecrease = false;
            refusedSinceDecrease = 0;
            double sent = measuredRate > 0 ? Math.min(measuredRate, rate) : rate;
            if (sent >= LEARNED_EDGE * learnedCeiling) {
                // refused at the learned ceiling: it was raised past what the quota sustains. Back under it, and a
                // window before raising it again (not below 0.8 of the lesson, whatever scattered 429s do)
                learnedCeiling = Math.max(LEARNED_KEEP * learnedRate, Math.min(learnedCeiling, sent * LEARNED_BACKOFF));
                learnedAtNanos = nowNanos;
            }
            lastMaxRate = Math.max(FLOOR, sent);
            timeToLastMax = Math.cbrt(lastMaxRate * (1 - BETA) / SCALE);
            lastThrottleTime = now;
            rate = clamp(lastMaxRate * Math.pow(BETA, 1 + Math.min(throttleStreak, 20)));
            throttleStreak++;
            slowStart = false;
            lastDecreaseNanos = nowNanos;
            refill(nowNanos);
            tokens = Math.min(tokens, 0); // the next request waits a whole interval at the new pace
            return;
        }
        if (status >= 500) {
            return; // says nothing about the pace
        }
        throttleStreak = 0;
        answeredSinceDecrease = true;
        refusalsInARow = 0;
        refill(nowNanos);
        if (walled) {
            learn(nowNanos);
        }
        answeredInCycle++;
        if (learnedCeiling < Double.POSITIVE_INFINITY && seconds(nowNanos) - seconds(learnedAtNanos) > learnedWindowSeconds) {
            learnedCeiling *= LEARNED_GROWTH; // a window passed without a wall: the quota may have been raised
            learnedAtNanos = nowNanos;
        }
        double cap = Math.max(START, 2 * measuredRate);
        if (slowStart) {
            rate = clamp(Math.min(cap, Math.min(START, ceiling) * Math.pow(2, (now - slowStartBegan) / DOUBLING_SECONDS)));
        } else {
            double t = now - lastThrottleTime - timeToLastMax;
            rate = clamp(Math.min(Math.max(cap, lastMaxRate), SCALE * t * t * t + lastMaxRate));
        }
    }

    /** A spent quota: one probe after another, each wait twice the last, up to {@value #MAX_PROBE_SECONDS} s. */
    private void probe(long nowNanos) {
        probeSeconds = walled ? Math.min(MAX_PROBE_SECONDS, 2 * probeSeconds) : 1;
        walled = true;
        slowStart = false;
        rate = Math.min(1 / probeSeconds, ceiling);
        refill(nowNanos);
        tokens = Math.min(tokens, 0);
    }

    /**
     * A probe got through the wall: the calls answered since the last wall, over the time since then, is what
     * the quota sustains. It becomes the ceiling and the pace, from which CUBIC recovers as after a decrease.
     */
    private void learn(long nowNanos) {
        // the wall opened somewhere in the last wait between probes, half of it on average
        double cycle = seconds(nowNanos) - seconds(cycleStartNanos) - probeSeconds / 2;
        double sustained = Math.max(FLOOR, answeredInCycle / Math.max(cycle, 1e-3));
        // a later wall learns again, but never far below the last: a quota does not usually shrink, and a wall that
        // scattered 429s faked must not ratchet the pace down
        learnedRate = Math.max(sustained, LEARNED_KEEP * learnedRate);
        learnedCeiling = Math.min(ceiling, learnedRate);
        learnedWindowSeconds = cycle;
        learnedAtNanos = nowNanos;
        walled = false;
        lastMaxRate = learnedCeiling;
        lastThrottleTime = seconds(nowNanos);
        timeToLastMax = 0;
        rate = learnedCeiling;
        cycleStartNanos = nowNanos;
        answeredInCycle = 0;
    }

    /** @return the current pace in requests per second */
    public synchronized double currentRate() {
        return rate;
    }

    private double clamp(double r) {
        return Math.max(FLOOR, Math.min(Math.min(ceiling, learnedCeiling), r));
    }

    private double seconds(long nanos) {
        return (nanos - originNanos) / 1e9;
    }

    /** Smoothed rate of requests actually sent, over half-second buckets. */
    private void measure(double now) {
        sentInBucket++;
        double bucket = Math.floor(now / MEASURE_BUCKET_SECONDS) * MEASURE_BUCKET_SECONDS;
        if (bucket > measureBucket) {
            double current = sentInBucket / (bucket - measureBucket);
            measuredRate = current * SMOOTH + measuredRate * (1 - SMOOTH);
            sentInBucket = 0;
            measureBucket = bucket;
        }
    }
}
