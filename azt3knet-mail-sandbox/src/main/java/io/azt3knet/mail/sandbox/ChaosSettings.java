package io.azt3knet.mail.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Seeded trouble for robustness tests of the application that embeds the sandbox; {@link #none()} by default. Every
 * decision is a pure function of the seed, the kind of trouble and what it happens to (the message's bytes, the
 * sender and recipient, the attempt number), never of thread timing, so a failing test replays with the same seed.
 *
 * <pre>{@code
 * ChaosSettings chaos = ChaosSettings.builder(42)
 *         .deliveryDelayUpTo(Duration.ofMillis(200))   // before the webhook POST
 *         .duplicateShare(0.2)                         // POST again after success: the webhook must dedup
 *         .webhookFailureShare(0.3)                    // the webhook answers 503; the sandbox retries
 *         .rcptFailureShare(0.1).dataFailureShare(0.1) // SMTP 451: the sender must retry
 *         .build();
 * }</pre>
 *
 * @param seed the seed of every decision
 * @param deliveryDelay the longest delay before a message is delivered to the webhook (uniform from zero)
 * @param duplicateShare the share of deliveries POSTed a second time after the first succeeded
 * @param webhookFailureShare the share of webhook calls answered 503 before the handler sees them
 * @param rcptFailureShare the share of {@code RCPT TO} commands answered 451
 * @param dataFailureShare the share of messages answered 451 after {@code DATA}
 */
public record ChaosSettings(long seed, Duration deliveryDelay, double duplicateShare, double webhookFailureShare,
        double rcptFailureShare, double dataFailureShare) {

    /** Validates: shares in [0, 0.9] (so that retries end), a delay of at most a minute. */
    public ChaosSettings {
        Objects.requireNonNull(deliveryDelay, "deliveryDelay");
        if (deliveryDelay.isNegative() || deliveryDelay.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("deliveryDelay must be 0..60 s, got " + deliveryDelay);
        }
        share("duplicateShare", duplicateShare);
        share("webhookFailureShare", webhookFailureShare);
        share("rcptFailureShare", rcptFailureShare);
        share("dataFailureShare", dataFailureShare);
    }

    private static void share(String name, double value) {
        if (!(value >= 0 && value <= 0.9)) {
            throw new IllegalArgumentException(name + " must be between 0 and 0.9 (retries must end), got " + value);
        }
    }

    /** @return no trouble at all */
    public static ChaosSettings none() {
        return new ChaosSettings(0, Duration.ZERO, 0, 0, 0, 0);
    }

    /**
     * @param seed the seed of every decision
     * @return a builder, all trouble off
     */
    public static Builder builder(long seed) {
        return new Builder(seed);
    }

    /** @return whether any trouble is switched on */
    public boolean enabled() {
        return !deliveryDelay.isZero() || duplicateShare > 0 || webhookFailureShare > 0 || rcptFailureShare > 0
                || dataFailureShare > 0;
    }

    /**
     * A deterministic draw in [0, 1) for one decision.
     *
     * @param kind which trouble
     * @param subject what it happens to (message digest, sender and recipient, attempt)
     * @return the draw
     */
    double draw(String kind, String subject) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (byte b : (kind + '\u0000' + subject).getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xFF));
        }
        return (mix(h) >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Builds {@link ChaosSettings}; every kind of trouble is off until set. */
    public static final class Builder {
        private final long seed;
        private Duration deliveryDelay = Duration.ZERO;
        private double duplicateShare;
        private double webhookFailureShare;
        private double rcptFailureShare;
        private double dataFailureShare;

        private Builder(long seed) {
            this.seed = seed;
        }

        /**
         * @param max the longest delay before delivery to the webhook (0..60 s); the 250 answer waits for it
         * @return this builder
         */
        public Builder deliveryDelayUpTo(Duration max) {
            this.deliveryDelay = Objects.requireNonNull(max, "max");
            return this;
        }

        /**
         * @param share share of deliveries POSTed twice (0..0.9)
         * @return this builder
         */
        public Builder duplicateShare(double share) {
            this.duplicateShare = share;
            return this;
        }

        /**
         * @param share share of webhook calls answered 503 (0..0.9)
         * @return this builder
         */
        public Builder webhookFailureShare(double share) {
            this.webhookFailureShare = share;
            return this;
        }

        /**
         * @param share share of {@code RCPT TO} commands answered 451 (0..0.9)
         * @return this builder
         */
        public Builder rcptFailureShare(double share) {
            this.rcptFailureShare = share;
            return this;
        }

        /**
         * @param share share of messages answered 451 after {@code DATA} (0..0.9)
         * @return this builder
         */
        public Builder dataFailureShare(double share) {
            this.dataFailureShare = share;
            return this;
        }

        /** @return the settings, validated */
        public ChaosSettings build() {
            return new ChaosSettings(seed, deliveryDelay, duplicateShare, webhookFailureShare, rcptFailureShare,
                    dataFailureShare);
        }
    }
}
