package io.azt3knet.mail.desec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.azt3knet.mail.internal.http.ErrorDecoder;
import io.azt3knet.mail.internal.http.ProviderError;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads deSEC's error shapes: {@code {"detail": "..."}}; a field-error map such as
 * {@code {"ttl": ["Ensure this value is greater than or equal to 3600."]}} (rendered
 * {@code ttl: Ensure ...}); a bulk request's per-item array {@code [{}, {"records": [...]}]}, kept as compact
 * JSON so that {@link DesecClient} can map each item to the record set that caused it; the DynDNS
 * endpoint's plain text ({@code badauth}, {@code nohost}, a detail); and nginx's HTML pages (status text).
 */
final class DesecErrorDecoder implements ErrorDecoder {

    @Override
    public ProviderError decode(int status, HttpHeaders headers, byte[] body, ObjectMapper mapper) {
        ProviderError error = decodeBody(status, headers, body, mapper);
        if (status == 401 && !error.message().contains(DesecSettings.TOKEN)) {
            return new ProviderError(error.message() + " (check " + DesecSettings.TOKEN + ")", error.requestId());
        }
        return error;
    }

    private ProviderError decodeBody(int status, HttpHeaders headers, byte[] body, ObjectMapper mapper) {
        Optional<JsonNode> json = ErrorDecoder.parseJson(body, mapper);
        if (json.isPresent()) {
            JsonNode j = json.get();
            if (j.isArray()) {
                return new ProviderError(j.toString(), Optional.empty());
            }
            if (j.isObject() && j.size() > 0) {
                return new ProviderError(j.has("detail") ? j.get("detail").asText() : fieldErrors(j), Optional.empty());
            }
        }
        String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
        boolean plain = !text.isEmpty() && text.charAt(0) != '<' && !text.contains("\n")
                && headers.firstValue("Content-Type").map(t -> !t.contains("html")).orElse(true);
        return new ProviderError(plain ? text : ErrorDecoder.fallback(status, body), Optional.empty());
    }

    /**
     * Renders a DRF field-error map: {@code field: message message; other: message}.
     *
     * @param errors a JSON object of field name to message list (or nested map, e.g. per record index)
     * @return the text
     */
    static String fieldErrors(JsonNode errors) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = errors.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String messages = messages(e.getValue());
            parts.add(e.getKey().equals("non_field_errors") ? messages : e.getKey() + ": " + messages);
        }
        return String.join("; ", parts);
    }

    private static String messages(JsonNode node) {
        if (node.isArray()) {
            List<String> out = new ArrayList<>();
            node.forEach(n -> out.add(messages(n)));
            return String.join(" ", out);
        }
        if (node.isObject()) {
            return "(" + fieldErrors(node) + ")";
        }
        return node.asText();
    }
}
