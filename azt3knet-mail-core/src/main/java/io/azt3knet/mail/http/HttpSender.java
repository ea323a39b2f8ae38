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
 * MailjetProvisioner provisioner = MailjetProvisioner.builder(mailjetSettings)
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
            HttpResponse<java.io.InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            return new Response(r.statusCode(), r.headers().map(), readCapped(r));
        };
    }

    /** The most a sender made by {@link #of(HttpClient)} reads of one response body: 16 MiB. */
    long MAX_RESPONSE_BYTES = 16L * 1024 * 1024;

    /**
     * Reads a body of at most {@link #MAX_RESPONSE_BYTES}, so that whatever answers cannot make the client hold
     * more; past it the connection is dropped.
     */
    private static byte[] readCapped(HttpResponse<java.io.InputStream> r) throws IOException {
        try (java.io.InputStream in = r.body()) {
            long declared = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > MAX_RESPONSE_BYTES) {
                throw new ResponseTooLargeException(MAX_RESPONSE_BYTES);
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(
                    declared > 0 ? (int) declared : 8192);
            byte[] buffer = new byte[8192];
            long total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                if (total > MAX_RESPONSE_BYTES) {
                    throw new ResponseTooLargeException(MAX_RESPONSE_BYTES);
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    /** A response body was larger than a sender reads; the provider clients fail the call without a retry. */
    final class ResponseTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        /** @param limit the most that is read */
        public ResponseTooLargeException(long limit) {
            super("the response body is larger than " + limit + " bytes; not read");
        }
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
