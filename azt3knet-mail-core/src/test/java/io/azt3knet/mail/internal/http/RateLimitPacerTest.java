package io.azt3knet.mail.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.QuotaExhaustedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link RateLimitPacer} on a fake monotonic clock whose sleeps advance it: deterministic, nothing waits. */
class RateLimitPacerTest {

    private static final HttpRequestSpec WRITE = HttpRequestSpec.patch("/x", List.of()).pacingKey("write:a.example");
    private static final Instant WALL = Instant.parse("2026-11-24T10:00:00Z");

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Duration> sleeps = new ArrayList<>();

    private RateLimitPacer.Builder pacer() {
        return RateLimitPacer.builder("desec").clock(Clock.fixed(WALL, ZoneOffset.UTC)).ticker(now::get, nanos -> {
            sleeps.add(Duration.ofNanos(nanos));
            now.addAndGet(nanos);
        });
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void sleepsOnceForTheLongestWindowInsteadOfOnceForEachWindow() {
        RateLimitPacer pacer = pacer().limit("write", 2, Duration.ofSeconds(1)).limit("write", 3, Duration.ofSeconds(10))
                .maxWait(Duration.ofSeconds(10)).build();

        pacer.acquire(WRITE);
        pacer.acquire(WRITE);
        assertThat(sleeps).isEmpty();
        pacer.acquire(WRITE); // the 2/s window: 1 s
        pacer.acquire(WRITE); // both windows are full: one sleep until the 3/10 s window opens, 10 s after the first

        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(9));
    }

    @Test
    void refusesAtOnceWithoutSleepingWhenAnyWindowNeedsMoreThanMaxWait() {
        RateLimitPacer pacer = pacer().limit("write", 2, Duration.ofSeconds(1)).limit("write", 3, Duration.ofHours(1))
                .maxWait(Duration.ofSeconds(5)).build();
        pacer.acquire(WRITE);
        pacer.acquire(WRITE);
        pacer.acquire(WRITE);
        sleeps.clear();

        assertThatThrownBy(() -> pacer.acquire(WRITE)).isInstanceOfSatisfying(QuotaExhaustedException.class, e -> {
            assertThat(e.availableAt()).isEqualTo(WALL.plus(Duration.ofHours(1)).minusSeconds(1));
            assertThat(e.getMessage()).contains("3 per PT1H").contains("a.example");
        });
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aRefusedRequestTakesNoPermitFromTheOtherWindows() {
        RateLimitPacer pacer = pacer().limit("write", 2, Duration.ofSeconds(10)).limit("write", 1, Duration.ofSeconds(5))
                .maxWait(Duration.ofSeconds(1)).build();
        pacer.acquire(WRITE);
        assertThatThrownBy(() -> pacer.acquire(WRITE)).isInstanceOf(QuotaExhaustedException.class);

        advance(Duration.ofSeconds(5));
        pacer.acquire(WRITE); // the 2/10 s window still has its second permit: the refusal did not use it up

        assertThat(sleeps).isEmpty();
    }

    @Test
    void windowsSlideRatherThanResetAtFixedBoundaries() {
        RateLimitPacer pacer = pacer().limit("write", 2, Duration.ofMinutes(2)).maxWait(Duration.ofMinutes(5)).build();
        pacer.acquire(WRITE);
        advance(Duration.ofSeconds(90));
        pacer.acquire(WRITE);
        advance(Duration.ofSeconds(40)); // 130 s after the first: a fresh fixed window would allow two more

        pacer.acquire(WRITE);
        pacer.acquire(WRITE);

        // the third waits for the first to leave the window (already the case), the fourth for the second (at 210 s)
        assertThat(sleeps).containsExactly(Duration.ofSeconds(80));
    }

    @Test
    void bucketsAndUnpacedCategoriesDoNotCompete() {
        RateLimitPacer pacer = pacer().limit("write", 1, Duration.ofHours(1)).maxWait(Duration.ZERO).build();
        pacer.acquire(WRITE);

        pacer.acquire(HttpRequestSpec.patch("/x", List.of()).pacingKey("write:b.example"));
        pacer.acquire(HttpRequestSpec.get("/y"));

        assertThatThrownBy(() -> pacer.acquire(WRITE)).isInstanceOf(QuotaExhaustedException.class);
        assertThat(sleeps).isEmpty();
    }
}
