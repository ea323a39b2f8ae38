package io.azt3knet.mail.inbound.webhook;

import java.util.Map;
import java.util.Objects;

/**
 * The answer {@link InboundWebhookHandler} gives: a status, a short plain-text body and a few headers
 * ({@code WWW-Authenticate}, {@code Allow}, {@code Connection}).
 *
 * @param status the HTTP status
 * @param body a short plain-text explanation, never containing a secret
 * @param headers extra response headers
 */
public record WebhookResponse(int status, String body, Map<String, String> headers) {

    /** Validates the status and copies the headers. */
    public WebhookResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
    }

    /** @return whether the status is 2xx */
    public boolean isSuccess() {
        return status / 100 == 2;
    }
}
