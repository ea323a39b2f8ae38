package io.azt3knet.mail.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Turns an error response into a {@link ProviderError}. Must cope with empty, HTML and non-JSON bodies.
 */
@FunctionalInterface
public interface ErrorDecoder {

    /**
     * @param status HTTP status
     * @param headers response headers
     * @param body response body, possibly empty
     * @param mapper a JSON mapper
     * @return the decoded error; {@link #fallback} when nothing better can be said
     */
    ProviderError decode(int status, HttpHeaders headers, byte[] body, ObjectMapper mapper);

    /**
     * Decodes the common shapes ({@code ErrorMessage}, {@code detail}, {@code message}, {@code error}) and
     * falls back to the status text for empty, HTML or non-JSON bodies.
     *
     * @return a generic decoder
     */
    static ErrorDecoder generic() {
        return (status, headers, body, mapper) -> {
            Optional<JsonNode> json = parseJson(body, mapper);
            Optional<String> message = json.flatMap(j -> firstText(j, "ErrorMessage", "detail", "message", "error"));
            return new ProviderError(message.orElseGet(() -> fallback(status, body)), Optional.empty());
        };
    }

    /**
     * @param body a response body
     * @param mapper a JSON mapper
     * @return the body as JSON, if it is JSON
     */
    static Optional<JsonNode> parseJson(byte[] body, ObjectMapper mapper) {
        if (body.length == 0 || (body[0] != '{' && body[0] != '[')) {
            return Optional.empty();
        }
        try {
            return Optional.of(mapper.readTree(body));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /**
     * @param node a JSON object
     * @param fields field names to try in order
     * @return the first present field as text (objects and arrays rendered as JSON), if any is non-empty
     */
    static Optional<String> firstText(JsonNode node, String... fields) {
        for (String f : fields) {
            JsonNode v = node.get(f);
            if (v != null && !v.isNull()) {
                String text = v.isValueNode() ? v.asText() : v.toString();
                if (!text.isBlank()) {
                    return Optional.of(text);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The message used when a body says nothing useful: the status and its standard text, plus what kind of
     * body came (empty, HTML, or its first characters). {@code java.net.http} does not expose the status
     * line's reason phrase, so a provider's reason text cannot be kept.
     *
     * @param status HTTP status
     * @param body response body
     * @return a message such as {@code "HTTP 400 Bad Request (empty body)"}
     */
    static String fallback(int status, byte[] body) {
        String kind;
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            kind = "empty body";
        } else if (text.regionMatches(true, 0, "<!doctype html", 0, 14) || text.regionMatches(true, 0, "<html", 0, 5)) {
            kind = "HTML body";
        } else {
            kind = "body: " + text.replaceAll("\\s+", " ");
        }
        return "HTTP " + status + " " + StatusText.of(status) + " (" + kind + ")";
    }
}
