package io.azt3knet.mail.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Sends one HTTP exchange for a provider client: the seam where an application plugs in its own
 * {@link HttpClient} (a proxy, custom TLS), metrics or tracing, or a test double. The provider clients keep
 * retries, pacing, authentication, error decoding and secret redaction on their side of this interface, so an
 * implementation only moves bytes. It must not follow redirects (an {@code Authorization} header must never be
 * sent to another origin) and it must honour {@link Request#timeout()}.
 *
 * <pre>{@code
 * HttpClient viaProxy = HttpClient.newBuilder().proxy(ProxySelector.of(proxyAddress))
 *         .followRedirects(HttpClient.Redirect.NEVER).build();
 * MailjetProvisioner provisioner = MailjetProvisioner.builder(settings)
 *         .httpSender(HttpSender.of(viaProxy))
 *         .build();
 * }</pre>
 *
 * Modelled on Micrometer's {@code HttpSender}.
 */
@FunctionalInterface
public interface HttpSender {

    /**
     * Sends a request and reads the whole answer.
     *
     * @param request what to send
     * @return the answer, whatever its status
     * @throws IOException when no answer came (refused, reset, timed out)
     * @throws InterruptedException when the calling thread was interrupted
     */
    Response send(Request request) throws IOException, InterruptedException;

    /**
     * @param client the client to send with; it should not follow redirects
     * @return a sender over a JDK {@link HttpClient}
     */
    static HttpSender of(HttpClient client) {
        Objects.requireNonNull(client, "client");
        return request -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(request.uri()).timeout(request.timeout());
            request.headers().forEach((name, values) -> values.forEach(v -> b.header(name, v)));
            b.method(request.method(), request.body().length == 0 && !request.method().equals("POST")
                    && !request.method().equals("PUT") && !request.method().equals("PATCH")
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body()));
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.headers().map(), r.body() == null ? new byte[0] : r.body());
        };
    }

    /**
     * @param connectTimeout the longest wait for a connection
     * @return a sender over a new JDK {@link HttpClient} that never follows redirects
     */
    static HttpSender withConnectTimeout(Duration connectTimeout) {
        return of(HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    /**
     * One request. Headers include {@code Authorization}: an implementation must not log them.
     *
     * @param method the HTTP method
     * @param uri the absolute URL
     * @param headers header names and values
     * @param body the body, empty for none
     * @param timeout the longest wait for the whole answer
     */
    record Request(String method, URI uri, Map<String, List<String>> headers, byte[] body, Duration timeout) {
        /** Validates and copies. */
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(uri, "uri");
            headers = Map.copyOf(headers);
            body = body.clone();
            Objects.requireNonNull(timeout, "timeout");
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        @Override
        public String toString() {
            return method + " " + uri.getScheme() + "://" + uri.getAuthority() + uri.getPath(); // no query, no headers
        }
    }

    /**
     * One answer.
     *
     * @param status the HTTP status
     * @param headers header names (any case) and values
     * @param body the body, empty for none
     */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        /** Validates and copies; header names are looked up case-insensitively. */
        public Response {
            Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            headers = java.util.Collections.unmodifiableMap(h);
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        /**
         * @param name a header name, any case
         * @return its first value
         */
        public Optional<String> header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        @Override
        public String toString() {
            return "Response[status=" + status + ", " + body.length + " body bytes]";
        }
    }
}
