package io.azt3knet.mail.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * A provider's answer: status, headers and the body bytes.
 *
 * @param status HTTP status
 * @param headers response headers
 * @param body the body, possibly empty
 * @param mapper the mapper used to read the body
 */
public record HttpResponseData(int status, HttpHeaders headers, byte[] body, ObjectMapper mapper) {

    /** @return the body as a JSON tree; a missing node when the body is empty */
    public JsonNode json() {
        if (body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("response body is not JSON", e);
        }
    }

    /**
     * @param type the type to bind to
     * @param <T> the type
     * @return the body bound to that type
     */
    public <T> T read(Class<T> type) {
        try {
            return mapper.readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException("response body does not match " + type.getSimpleName(), e);
        }
    }

    /**
     * @param name header name
     * @return its first value
     */
    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** @return whether the body is empty */
    public boolean isEmpty() {
        return body.length == 0;
    }
}
