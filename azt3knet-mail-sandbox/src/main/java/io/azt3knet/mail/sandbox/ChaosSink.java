package io.azt3knet.mail.sandbox;

import io.azt3knet.mail.inbound.DeliveryKey;
import io.azt3knet.mail.inbound.InboundMessage;
import io.azt3knet.mail.inbound.InboundSink;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Puts seeded storage failures in front of the real sink, so that the real webhook handler answers 500 and the
 * sender's retry path is exercised over HTTP. The n-th attempt of one delivery key fails when the seeded draw for
 * (key, n) falls under the share: the same seed fails the same attempts, whatever the threads do.
 */
final class ChaosSink implements InboundSink {

    private final InboundSink delegate;
    private final ChaosSettings chaos;
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    ChaosSink(InboundSink delegate, ChaosSettings chaos) {
        this.delegate = delegate;
        this.chaos = chaos;
    }

    @Override
    public Result accept(InboundMessage message, DeliveryKey key) throws IOException {
        int attempt = attempts.computeIfAbsent(key.value(), k -> new AtomicInteger()).incrementAndGet();
        if (chaos.draw("webhook-5xx", key.value() + "#" + attempt) < chaos.webhookFailureShare()) {
            throw new IOException("sandbox chaos: simulated storage failure (attempt " + attempt + ")");
        }
        return delegate.accept(message, key);
    }
}
