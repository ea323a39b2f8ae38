package io.azt3knet.mail.desec;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * At most {@code permits} events in any {@code window}, on an injected clock, never blocking: the caller is
 * told when the next slot opens instead. For the few calls deSEC limits per minute (DynDNS updates,
 * check-IP), where waiting is the caller's decision.
 */
final class SlidingWindowLimit {

    private final int permits;
    private final Duration window;
    private final Clock clock;
    private final Deque<Instant> recent = new ArrayDeque<>();

    SlidingWindowLimit(int permits, Duration window, Clock clock) {
        this.permits = permits;
        this.window = window;
        this.clock = clock;
    }

    /** @return empty if the event may happen now (and it is counted); otherwise when the next slot opens */
    synchronized Optional<Instant> tryAcquire() {
        Instant now = clock.instant();
        while (!recent.isEmpty() && !recent.peekFirst().plus(window).isAfter(now)) {
            recent.removeFirst();
        }
        if (recent.size() >= permits) {
            return Optional.of(recent.peekFirst().plus(window));
        }
        recent.addLast(now);
        return Optional.empty();
    }

    /** @return a description such as {@code 3 per PT1M} */
    String describe() {
        return permits + " per " + window;
    }
}
