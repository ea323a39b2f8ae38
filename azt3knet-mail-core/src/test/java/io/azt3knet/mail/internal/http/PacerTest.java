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
}
