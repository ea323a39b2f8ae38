package io.azt3knet.mail.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.QuotaExhaustedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PacerTest {

    private static final HttpRequestSpec WRITE_A = HttpRequestSpec.patch("/x", List.of()).pacingKey("write:a.example");
    private static final HttpRequestSpec WRITE_B = HttpRequestSpec.patch("/x", List.of()).pacingKey("write:b.example");

    @Test
    void rateLimitPacerFailsWithQuotaExhaustedWhenTheWaitIsBeyondTheCap() {
        RateLimitPacer pacer = RateLimitPacer.builder("desec")
                .limit("write", 2, Duration.ofHours(1))
                .maxWait(Duration.ofMillis(10))
                .build();
        pacer.acquire(WRITE_A);
        pacer.acquire(WRITE_A);
        assertThatThrownBy(() -> pacer.acquire(WRITE_A))
                .isInstanceOf(QuotaExhaustedException.class)
                .hasMessageContaining("2 per PT1H");
        pacer.acquire(WRITE_B); // another bucket: another domain does not compete
        pacer.acquire(HttpRequestSpec.get("/y")); // reads have no window here
    }

    @Test
    void adaptivePacerSpacesRequestsAndLowersTheRateOncePerBurstOf429s() {
        AtomicLong now = new AtomicLong();
        List<Long> sleeps = new ArrayList<>();
        AdaptivePacer pacer = new AdaptivePacer(10, 1, now::get, nanos -> {
            sleeps.add(nanos);
            now.addAndGet(nanos);
        });
        pacer.acquire(WRITE_A);
        pacer.acquire(WRITE_A);
        assertThat(sleeps).containsExactly(100_000_000L);

        pacer.onResponse(WRITE_A, 429);
        assertThat(pacer.currentRate()).isEqualTo(7.5);
        pacer.onResponse(WRITE_A, 429);
        pacer.onResponse(WRITE_A, 429);
        assertThat(pacer.currentRate()).as("429s to requests paced before the decrease").isEqualTo(7.5);
        for (int i = 0; i < 8; i++) {
            now.addAndGet(1);
            pacer.acquire(WRITE_A); // paced after the decrease: a 429 means still too fast
            pacer.onResponse(WRITE_A, 429);
        }
        assertThat(pacer.currentRate()).isEqualTo(1.0); // the floor

        for (int i = 0; i < 100; i++) {
            pacer.onResponse(WRITE_A, 201);
        }
        assertThat(pacer.currentRate()).isEqualTo(1.0); // many answers within one second do not restore the pace

        for (int second = 0; second < 15; second++) {
            now.addAndGet(1_000_000_000L);
            pacer.onResponse(WRITE_A, 201);
        }
        assertThat(pacer.currentRate()).isEqualTo(10.0); // a tenth of the target per quiet second, never above
    }
}
