package io.azt3knet.mail.internal.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Paces requests at a target rate that adapts to the provider (additive increase, multiplicative decrease):
 * a 429 lowers the rate by a quarter (down to a floor); each second that passes without one raises it by a tenth
 * of the target again. Recovery is paced by time, not by the number of answers, so that many concurrent workers
 * do not climb straight back into the limit.
 *
 * <p>Only a 429 to a request paced after the last decrease lowers the rate again: the others answer requests that
 * were already on their way at the old rate. Lowering the rate for each of them would take a batch with 16
 * requests in flight from 40 to 1 per second at the first burst, and make it crawl for many seconds (measured
 * with {@code PopulationLoadRun}); a provider far below the target is still reached within a few round trips.
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

    private final double targetPerSecond;
    private final double floorPerSecond;
    private final java.util.function.LongSupplier nanoTime;
    private final Sleeper sleeper;
    private double ratePerSecond;
    private long nextSlotNanos;
    private long lastChangeNanos;
    private long lastDecreaseNanos;
    /** When this thread's current attempt reserved its slot, that is, at which rate it was paced. */
    private final ThreadLocal<Long> reservedByThisThread = new ThreadLocal<>();

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
        this.lastChangeNanos = nextSlotNanos;
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
        long now = nanoTime.getAsLong();
        if (status == 429) {
            Long reserved = reservedByThisThread.get();
            if (reserved == null || reserved > lastDecreaseNanos) { // paced at the current rate: still too fast
                ratePerSecond = Math.max(floorPerSecond, ratePerSecond * DECREASE_FACTOR);
                lastDecreaseNanos = now;
            }
            lastChangeNanos = now;
        } else if (status < 500 && ratePerSecond < targetPerSecond && now - lastChangeNanos >= 1_000_000_000L) {
            ratePerSecond = Math.min(targetPerSecond, ratePerSecond + targetPerSecond / 10);
            lastChangeNanos = now;
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
