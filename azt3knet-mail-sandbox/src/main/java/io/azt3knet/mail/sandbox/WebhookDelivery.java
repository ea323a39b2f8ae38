package io.azt3knet.mail.sandbox;

import io.azt3knet.mail.internal.util.LogText;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.internal.util.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs payloads to the sandbox's own webhook over loopback HTTP, as Mailjet would: JSON body, the shared secret as
 * Basic credentials, a retry with backoff after a 5xx or a failed connection, up to a bounded number of attempts.
 */
final class WebhookDelivery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);

    private final URI url;
    private final String authorization;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final HttpClient client;
    private final Sleeper sleeper;

    WebhookDelivery(URI url, Secret secret, int maxAttempts, Duration firstBackoff) {
        this(url, secret, maxAttempts, firstBackoff, Sleeper.SYSTEM);
    }

    /** @param sleeper waits between attempts; tests record instead of sleeping */
    WebhookDelivery(URI url, Secret secret, int maxAttempts, Duration firstBackoff, Sleeper sleeper) {
        this.sleeper = sleeper;
        this.url = url;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString(("sandbox:" + secret.reveal()).getBytes(StandardCharsets.UTF_8));
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .proxy(HttpClient.Builder.NO_PROXY) // loopback only, whatever the JVM's proxy settings say
                .executor(Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "sandbox-webhook-client");
                    t.setDaemon(true);
                    return t;
                }))
                .build();
    }

    /**
     * Delivers one payload, retrying 5xx answers and connection failures.
     *
     * @param payload the JSON body
     * @param recipient for log lines
     * @return whether the webhook answered 2xx
     */
    boolean deliver(byte[] payload, String recipient) throws InterruptedException {
        Duration backoff = firstBackoff;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(url)
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .header("Authorization", authorization)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                        .build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return true;
                }
                if (status / 100 == 4 && status != 408 && status != 429) {
                    LOG.error("The sandbox webhook refused a message for {} with {} {}; it will not be retried here, "
                            + "the sender gets a 4xx and may retry", LogText.escape(recipient), status,
                            LogText.escape(response.body().strip()));
                    return false;
                }
                LOG.info("The sandbox webhook answered {} for {} (attempt {} of {}); retrying", status, LogText.escape(recipient),
                        attempt, maxAttempts);
            } catch (IOException e) {
                LOG.info("Could not reach the sandbox webhook for {} (attempt {} of {}): {}", LogText.escape(recipient),
                        attempt, maxAttempts, LogText.escape(e));
            }
            if (attempt < maxAttempts) {
                sleeper.sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
        return false;
    }

    @Override
    public void close() {
        // the JDK 17 HttpClient has no close(); its daemon threads end when idle
    }
}
