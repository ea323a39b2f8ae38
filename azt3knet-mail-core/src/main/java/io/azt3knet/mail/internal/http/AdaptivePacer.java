package io.azt3knet.mail.internal.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Paces requests at a target rate that adapts to the provider (additive increase, multiplicative decrease):
 * a 429 lowers the rate by a quarter (down to a floor), and successes raise it again by a tenth per second (each
 * success adds 0.1 calls per second). Only a 429 to a request sent after the last decrease lowers the rate again: the others answer
 * requests that were already on their way at the old rate (lowering the rate for each of them would drive a
 * batch with 16 requests in flight from 40 to 1 per second at the first burst and make it crawl), while a
 * provider far below the target is still reached within a few round trips. The slow increase, proportional to
 * the rate reached rather than to the target, keeps the rate just under the provider's limit for seconds rather
 * than bouncing into it again at once, so that few requests are refused, and none so often that its retries run
 * out.
 *
 * <p>Used for providers such as Mailjet that publish no numbers and send no {@code Retry-After}: a batch then
 * settles just under the real limit instead of failing. Failsafe's rate limiters have fixed rates, hence
 * this small class. Thread-safe; it relies on {@link JsonHttpClient} calling {@link #onResponse} on the thread
 * that called {@link #acquire} for the same attempt.
 */
public final class AdaptivePacer implements RequestPacer {

    /** Sleeps; injectable so that tests do not wait. */
    @FunctionalInterface
    public interface Sleeper {
        /** @param nanos how long @throws InterruptedException if interrupted */
        void sleepNanos(long nanos) throws InterruptedException;
    }

    /** What a decrease multiplies the rate by. */
    private static final double DECREASE_FACTOR = 0.75;
    /** What a success adds to the rate, in calls per second. */
    private static final double INCREASE_PER_SUCCESS = 0.1;

    private final double targetPerSecond;
    private final double floorPerSecond;
    private final java.util.function.LongSupplier nanoTime;
    private final Sleeper sleeper;
    private double ratePerSecond;
    private long nextSlotNanos;
    /** When the request of this thread's current attempt reserved its slot, that is, at which rate it was paced. */
    private final ThreadLocal<Long> reservedByThisThread = new ThreadLocal<>();
    private long lastDecreaseNanos;

    /**
     * @param targetPerSecond the rate to aim for
     * @param floorPerSecond the rate never to go below
     */
    public AdaptivePacer(double targetPerSecond, double floorPerSecond) {
        this(targetPerSecond, floorPerSecond, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    /**
     * @param targetPerSecond the rate to aim for
     * @param floorPerSecond the rate never to go below
     * @param nanoTime a monotonic clock
     * @param sleeper how to wait
     */
    public AdaptivePacer(double targetPerSecond, double floorPerSecond, java.util.function.LongSupplier nanoTime,
            Sleeper sleeper) {
        if (!(targetPerSecond > 0) || !(floorPerSecond > 0) || floorPerSecond > targetPerSecond) {
            throw new IllegalArgumentException("need 0 < floor <= target");
        }
        this.targetPerSecond = targetPerSecond;
        this.floorPerSecond = floorPerSecond;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.ratePerSecond = targetPerSecond;
        this.nextSlotNanos = nanoTime.getAsLong();
        this.lastDecreaseNanos = nextSlotNanos - 1;
    }

    @Override
    public void acquire(HttpRequestSpec request) {
        long wait;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            long slot = Math.max(now, nextSlotNanos);
            nextSlotNanos = slot + (long) (1_000_000_000L / ratePerSecond);
            wait = slot - now;
            reservedByThisThread.set(now);
        }
        if (wait > 0) {
            try {
                sleeper.sleepNanos(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public synchronized void onResponse(HttpRequestSpec request, int status) {
        if (status == 429) {
            Long reserved = reservedByThisThread.get();
            if (reserved == null || reserved > lastDecreaseNanos) { // paced at the current rate: still too fast
                ratePerSecond = Math.max(floorPerSecond, ratePerSecond * DECREASE_FACTOR);
                lastDecreaseNanos = nanoTime.getAsLong();
            }
        } else if (status < 500) {
            // r successes a second, each adding a tenth of a call per second: the rate grows by a tenth per second
            ratePerSecond = Math.min(targetPerSecond, ratePerSecond + INCREASE_PER_SUCCESS);
        }
    }

    /** @return the current rate in requests per second */
    public synchronized double currentRate() {
        return ratePerSecond;
    }

    /** @return the current interval between requests */
    public synchronized Duration currentInterval() {
        return Duration.ofNanos((long) (1_000_000_000L / ratePerSecond));
    }
}
