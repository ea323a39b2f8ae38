package io.azt3knet.mail.internal.http;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request to a provider: method, path relative to the client's base URL (or an absolute URL, for
 * following {@code Link} headers), query parameters, an optional JSON body, and whether repeating it after
 * an ambiguous failure is safe. Immutable; the {@code with} methods return copies.
 *
 * @param method HTTP method, upper case
 * @param path path appended to the base URL (already percent-encoded where needed), or empty when
 *     {@code absolute} is given
 * @param absolute an absolute URL that replaces base URL and path, if present
 * @param query query parameters in order (values are encoded when the URL is built)
 * @param body the JSON body (a Jackson tree or any object Jackson can write), if any
 * @param retrySafe whether the request may be repeated after a failure where it may have taken effect
 * @param pacingKey the key under which a {@link RequestPacer} counts this request, e.g. {@code "write:example.org"}
 */
public record HttpRequestSpec(String method, String path, Optional<URI> absolute, Map<String, String> query,
        Optional<Object> body, boolean retrySafe, String pacingKey) {

    /** Normalizes and validates. */
    public HttpRequestSpec {
        method = method.toUpperCase(Locale.ROOT);
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(absolute, "absolute");
        query = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(query));
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(pacingKey, "pacingKey");
    }

    private static HttpRequestSpec of(String method, String path, @Nullable Object body) {
        boolean idempotent = !method.equals("POST") && !method.equals("PATCH");
        String key = method.equals("GET") || method.equals("HEAD") ? "read" : "write";
        return new HttpRequestSpec(method, path, Optional.empty(), Map.of(), Optional.ofNullable(body), idempotent, key);
    }

    /**
     * @param path path
     * @return a GET
     */
    public static HttpRequestSpec get(String path) {
        return of("GET", path, null);
    }

    /**
     * @param path path
     * @param body JSON body
     * @return a POST (not retry-safe)
     */
    public static HttpRequestSpec post(String path, Object body) {
        return of("POST", path, body);
    }

    /**
     * @param path path
     * @param body JSON body
     * @return a PUT (retry-safe)
     */
    public static HttpRequestSpec put(String path, Object body) {
        return of("PUT", path, body);
    }

    /**
     * @param path path
     * @param body JSON body
     * @return a PATCH (not retry-safe)
     */
    public static HttpRequestSpec patch(String path, Object body) {
        return of("PATCH", path, body);
    }

    /**
     * @param path path
     * @return a DELETE (retry-safe)
     */
    public static HttpRequestSpec delete(String path) {
        return of("DELETE", path, null);
    }

    /**
     * @param url an absolute URL, e.g. a {@code Link: rel="next"} target
     * @return a GET of it
     */
    public static HttpRequestSpec absolute(URI url) {
        return new HttpRequestSpec("GET", "", Optional.of(url), Map.of(), Optional.empty(), true, "read");
    }

    /**
     * @param name parameter name
     * @param value parameter value (encoded when sent)
     * @return a copy with the parameter added
     */
    public HttpRequestSpec query(String name, String value) {
        Map<String, String> q = new LinkedHashMap<>(query);
        q.put(name, value);
        return new HttpRequestSpec(method, path, absolute, q, body, retrySafe, pacingKey);
    }

    /**
     * @param safe whether the request may be repeated after an ambiguous failure
     * @return a copy
     */
    public HttpRequestSpec retrySafe(boolean safe) {
        return new HttpRequestSpec(method, path, absolute, query, body, safe, pacingKey);
    }

    /**
     * @param key the pacing key
     * @return a copy counted under that key
     */
    public HttpRequestSpec pacingKey(String key) {
        return new HttpRequestSpec(method, path, absolute, query, body, retrySafe, key);
    }

    /** Never prints the body or the query values, which may hold secrets (route URLs, tokens). */
    @Override
    public String toString() {
        return "HttpRequestSpec[" + describe() + ", query=" + query.keySet() + ", body=" + (body.isPresent() ? "(json)" : "none")
                + ", retrySafe=" + retrySafe + ", pacingKey=" + pacingKey + "]";
    }

    /** @return {@code "METHOD path"} for messages */
    public String describe() {
        return method + " " + absolute.map(URI::getPath).orElse(path);
    }
}
