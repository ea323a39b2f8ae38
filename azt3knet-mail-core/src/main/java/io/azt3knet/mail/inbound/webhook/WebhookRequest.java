package io.azt3knet.mail.inbound.webhook;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An HTTP request as {@link InboundWebhookHandler} needs it, independent of any server framework.
 *
 * @param method the HTTP method, e.g. {@code POST}
 * @param headers the request headers; names are looked up case-insensitively by {@link #header(String)}
 * @param rawQuery the raw (still percent-encoded) query string without {@code ?}, empty if none
 * @param body the request body, read by the handler and not closed by it
 * @param contentLength the declared {@code Content-Length}, empty when unknown (chunked)
 */
public record WebhookRequest(String method, Map<String, List<String>> headers, String rawQuery, InputStream body,
        OptionalLong contentLength) {

    /** Validates that nothing is null and copies the headers. */
    public WebhookRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawQuery, "rawQuery");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(contentLength, "contentLength");
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
    }

    /**
     * @param name a header name, any case
     * @return the first value of that header
     */
    public Optional<String> header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return Optional.of(e.getValue().get(0));
            }
        }
        return Optional.empty();
    }
}
