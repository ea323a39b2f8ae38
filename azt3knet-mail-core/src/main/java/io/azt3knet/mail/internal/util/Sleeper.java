package io.azt3knet.mail.internal.util;

import java.time.Duration;

/**
 * Every wait of the library's retry, backoff and pacing code goes through one of these, so that a test can
 * replace real sleeping with a recording (or a fake clock) and run a backoff schedule instantly.
 */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps for real, with nanosecond precision where the platform has it. */
    Sleeper SYSTEM = nanos -> {
        if (nanos > 0) {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    };

    /**
     * @param nanos how long; zero or less returns at once
     * @throws InterruptedException if interrupted while waiting
     */
    void sleepNanos(long nanos) throws InterruptedException;

    /**
     * @param duration how long; zero or negative returns at once
     * @throws InterruptedException if interrupted while waiting
     */
    default void sleep(Duration duration) throws InterruptedException {
        sleepNanos(duration.isNegative() ? 0 : saturatedNanos(duration));
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
