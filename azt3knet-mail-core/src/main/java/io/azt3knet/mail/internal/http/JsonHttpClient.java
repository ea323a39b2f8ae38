package io.azt3knet.mail.internal.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.azt3knet.mail.ProviderServiceException;
import io.azt3knet.mail.ProviderTransportException;
import io.azt3knet.mail.QuotaExhaustedException;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.http.HttpSender;
import io.azt3knet.mail.internal.util.LogText;
import io.azt3knet.mail.internal.util.Sleeper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON over {@code java.net.http} for one provider, with the library's only retry layer.
 *
 * <ul>
 *   <li>Retries: 429 always (the provider refused before doing anything); 500, 502, 503, 504 and
 *       I/O failures only for retry-safe requests, except failures to connect, where nothing was sent.
 *       Exponential backoff with full jitter; {@code Retry-After} (seconds or HTTP date) honoured up to a cap,
 *       beyond which a {@link QuotaExhaustedException} is thrown instead of sleeping. A {@code Retry-After} of
 *       absurd size (beyond {@link #LONGEST_RETRY_AFTER}) is read as that longest value, never as an error.</li>
 *   <li>Throttle budget, shared by every request of the client (so by a whole run): once the provider has
 *       answered nothing but 429 for longer than {@link RetrySettings#maxThrottleWait()}, a 429 is no longer
 *       retried but ends the request with {@link QuotaExhaustedException}. Any other answer starts the count
 *       again.</li>
 *   <li>Pacing: a {@link RequestPacer} is asked before every attempt.</li>
 *   <li>Errors: {@link ProviderServiceException} with the provider's message (via the {@link ErrorDecoder},
 *       falling back to the status when the body is empty, HTML or not JSON), {@link ProviderTransportException}
 *       when no answer came.</li>
 *   <li>Logging: one DEBUG line per attempt; the {@code Authorization} header is never logged and every
 *       registered secret is replaced by {@code ****}.</li>
 * </ul>
 * Nothing heavy is built before the first request: the JDK {@code HttpClient} (TLS, trust store) and the Jackson
 * mapper are made when first needed, so that wiring a provider at start-up costs milliseconds; everything that can
 * be wrong with the configuration is checked by the builder, before that.
 * Thread-safe. Owns its {@link HttpClient}; close it when done.
 */
public final class JsonHttpClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JsonHttpClient.class);
    private static final String USER_AGENT = "azt3knet-mail/0.1 (+https://github.com/azt3knet)";
    /** The longest {@code Retry-After} understood; longer ones (up to any number of digits) are read as this. */
    static final Duration LONGEST_RETRY_AFTER = Duration.ofDays(3660);
    private static final long NOT_THROTTLED = Long.MIN_VALUE;

    /** The largest provider response body read by default: 16 MiB. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 16L * 1024 * 1024;

    private final String provider;
    private final String baseUri;
    /** Built on the first request: the JDK client loads TLS and the trust store, hundreds of milliseconds. */
    private final Lazy<HttpSender> http;
    private final Supplier<Optional<String>> authorization;
    private final Duration requestTimeout;
    private final RetrySettings retry;
    private final RequestPacer pacer;
    private final ErrorDecoder errorDecoder;
    /** Built on first use: a fresh JVM spends most of a second loading Jackson. */
    private final Lazy<ObjectMapper> mapper;
    private final List<Secret> redactions;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Sleeper sleeper;
    private final long maxResponseBytes;
    private volatile boolean closed;
    /** When the current stretch of nothing but 429 answers began (System.nanoTime), or NOT_THROTTLED. */
    private final AtomicLong throttledSince = new AtomicLong(NOT_THROTTLED);

    private JsonHttpClient(Builder b) {
        this.provider = b.provider;
        String base = b.baseUri.toString();
        this.baseUri = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        HttpSender sender = b.sender;
        Duration connectTimeout = b.connectTimeout;
        this.http = sender != null ? Lazy.of(sender) : Lazy.by(() -> HttpSender.withConnectTimeout(connectTimeout));
        this.authorization = b.authorization;
        this.requestTimeout = b.requestTimeout;
        this.retry = b.retry;
        this.pacer = b.pacer;
        this.errorDecoder = b.errorDecoder;
        ObjectMapper m = b.mapper;
        this.mapper = m != null ? Lazy.of(m) : DEFAULT_MAPPER;
        this.redactions = List.copyOf(b.redactions);
        this.clock = b.clock;
        this.random = b.random;
        this.sleeper = b.sleeper;
        this.maxResponseBytes = b.maxResponseBytes;
    }

    /**
     * @param provider the provider's name, used in errors and logs
     * @param baseUri the base URL paths are appended to
     * @return a builder
     */
    public static Builder builder(String provider, URI baseUri) {
        return new Builder(provider, baseUri);
    }

    /**
     * The mapper of every client built without one of its own: a mapper is thread-safe once configured, and
     * nothing reconfigures it.
     */
    private static final Lazy<ObjectMapper> DEFAULT_MAPPER = Lazy.by(JsonHttpClient::defaultMapper);

    /** @return a new Jackson mapper lenient about unknown properties, as the provider modules use */
    public static ObjectMapper defaultMapper() {
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .findAndAddModules()
                .build();
    }

    /** @return the mapper this client reads and writes JSON with */
    public ObjectMapper mapper() {
        return mapper.get();
    }

    /** @return the provider's name */
    public String provider() {
        return provider;
    }

    /** @return whether the HTTP sender has been built (tests: it is built on the first request) */
    boolean senderBuilt() {
        return http.isMade();
    }

    /**
     * Sends a request through pacing and the retry layer.
     *
     * @param spec the request
     * @return the answer, when its status is 2xx or 304
     * @throws ProviderServiceException for any other status, once retries are spent
     * @throws QuotaExhaustedException when the wait the provider (or the pacer) asks for is beyond the cap
     * @throws ProviderTransportException when no answer came
     */
    public HttpResponseData send(HttpRequestSpec spec) {
        if (closed) {
            throw new IllegalStateException("the " + provider + " client is closed");
        }
        HttpSender.Request request = toRequest(spec);
        // Two budgets: failures (5xx, I/O) are retried by attempts; throttling (429) by time, so that a slowed
        // batch is not failed. A single request that keeps being refused while others get through is bounded by
        // twice the throttle budget; the run-wide budget (throttleBudgetSpent) ends a stretch of nothing but 429s.
        long started = System.nanoTime();
        Duration throttleLimit = retry.maxThrottleWait().multipliedBy(2);
        int failures = 0;
        for (int attempt = 1; ; attempt++) {
            HttpResponseData response = null;
            IOException failure = null;
            try {
                response = attempt(spec, request, attempt);
            } catch (IOException e) {
                failure = e;
            }
            boolean retryFailure = isRetryableFailure(spec, response, failure) && ++failures < retry.maxAttempts();
            boolean retryThrottle = !retryFailure && isRetryableThrottle(response)
                    && Duration.ofNanos(System.nanoTime() - started).compareTo(throttleLimit) < 0; // none when zero
            if (!retryFailure && !retryThrottle) {
                if (failure != null) {
                    throw new ProviderTransportException(provider, spec.describe() + " on " + endpoint(request.uri()),
                            sanitized(failure));
                }
                return answer(spec, response);
            }
            try {
                sleeper.sleep(delayBefore(response, attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderTransportException(provider, spec.describe() + " on " + endpoint(request.uri()), e);
            }
        }
    }

    private HttpResponseData answer(HttpRequestSpec spec, HttpResponseData response) {
        if (isSuccess(response.status())) {
            return response;
        }
        throw toServiceException(spec, response);
    }

    private HttpResponseData attempt(HttpRequestSpec spec, HttpSender.Request request, int attempt) throws IOException {
        pacer.acquire(spec);
        long start = System.nanoTime();
        HttpSender.Response resp;
        try {
            resp = http.get().send(request);
        } catch (HttpSender.ResponseTooLargeException e) {
            throw tooLarge(spec);
        } catch (IOException e) {
            LOG.debug("{} {} {} failed after {} ms (attempt {}): {}", provider, request.method(),
                    LogText.escape(redact(request.uri().toString())), (System.nanoTime() - start) / 1_000_000, attempt,
                    e.getClass().getSimpleName());
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderTransportException(provider, spec.describe() + " on " + endpoint(request.uri()), e);
        }
        if (resp.body().length > maxResponseBytes) {
            throw tooLarge(spec); // a sender of the application's may read more than this client accepts
        }
        pacer.onResponse(spec, resp.status());
        if (resp.status() == 429) {
            throttledSince.compareAndSet(NOT_THROTTLED, System.nanoTime());
        } else {
            throttledSince.set(NOT_THROTTLED);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} {} -> {} in {} ms (attempt {})", provider, request.method(),
                    LogText.escape(redact(request.uri().toString())), resp.status(), (System.nanoTime() - start) / 1_000_000,
                    attempt);
        }
        return new HttpResponseData(resp.status(), HttpHeaders.of(resp.headers(), (name, value) -> true), resp.body(),
                mapper.get());
    }

    private ProviderTransportException tooLarge(HttpRequestSpec spec) {
        return new ProviderTransportException(provider, spec.describe(), new IOException(
                "the response body is larger than " + maxResponseBytes + " bytes; not read"));
    }

    private boolean isRetryableFailure(HttpRequestSpec spec, @Nullable HttpResponseData result,
            @Nullable Throwable failure) {
        if (failure != null) {
            if (!(failure instanceof IOException)) {
                return false;
            }
            boolean neverSent = failure instanceof ConnectException || failure instanceof HttpConnectTimeoutException;
            return neverSent || spec.retrySafe();
        }
        if (result == null || retryAfterBeyondCap(result)) {
            return false;
        }
        int s = result.status();
        return (s == 500 || s == 502 || s == 503 || s == 504) && spec.retrySafe();
    }

    private boolean isRetryableThrottle(@Nullable HttpResponseData result) {
        return result != null && result.status() == 429 && !retryAfterBeyondCap(result) && !throttleBudgetSpent();
    }

    /** @return whether the provider has answered nothing but 429 for longer than a (non-zero) throttle budget */
    private boolean throttleBudgetSpent() {
        if (retry.maxThrottleWait().isZero()) {
            return false; // 429s are not retried at all: each one is reported as it is
        }
        long since = throttledSince.get();
        return since != NOT_THROTTLED && System.nanoTime() - since > retry.maxThrottleWait().toNanos();
    }

    /** A wait the server asks for beyond the cap is never slept, whatever the status. */
    private boolean retryAfterBeyondCap(HttpResponseData result) {
        return retryAfter(result).map(ra -> ra.compareTo(retry.maxRetryAfter()) > 0).orElse(false);
    }

    private Duration delayBefore(@Nullable HttpResponseData last, int failedAttempts) {
        Optional<Duration> ra = last == null ? Optional.empty() : retryAfter(last);
        return ra.orElseGet(() -> retry.backoff(failedAttempts, random.getAsDouble()));
    }

    private Optional<Duration> retryAfter(HttpResponseData response) {
        Optional<String> raw = response.header("Retry-After").map(String::strip);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String value = raw.get();
        if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // delay-seconds of any length: beyond the longest understood wait it is that wait, never an overflow
            if (value.length() > 12) {
                return Optional.of(LONGEST_RETRY_AFTER);
            }
            Duration d = Duration.ofSeconds(Long.parseLong(value));
            return Optional.of(d.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : d);
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(clock.instant(), at.toInstant());
            return Optional.of(d.isNegative() ? Duration.ZERO : d.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : d);
        } catch (DateTimeException notADate) {
            return Optional.empty();
        }
    }

    private RuntimeException toServiceException(HttpRequestSpec spec, HttpResponseData response) {
        Optional<Duration> ra = retryAfter(response);
        if (response.status() == 429 && ra.isPresent() && ra.get().compareTo(retry.maxRetryAfter()) > 0) {
            return new QuotaExhaustedException(provider, spec.describe(), clock.instant().plus(ra.get()),
                    "the server asked to wait " + ra.get().toSeconds() + " s, longer than the configured maximum of "
                            + retry.maxRetryAfter().toSeconds() + " s");
        }
        ProviderError error;
        try {
            error = errorDecoder.decode(response.status(), response.headers(), response.body(), mapper.get());
        } catch (RuntimeException e) {
            error = new ProviderError(ErrorDecoder.fallback(response.status(), response.body()), Optional.empty());
        }
        if (response.status() == 429 && throttleBudgetSpent()) {
            // no hint from the server: expect the quota back after as long again as it has been refusing
            long since = throttledSince.get(); // another answer may have ended the stretch meanwhile
            Duration refusing = since == NOT_THROTTLED ? retry.maxThrottleWait() : Duration.ofNanos(System.nanoTime() - since);
            return new QuotaExhaustedException(provider, spec.describe(), clock.instant().plus(ra.orElse(refusing)),
                    "every request was answered 429 for " + refusing.toSeconds() + " s, longer than the throttle budget of "
                            + retry.maxThrottleWait().toSeconds() + " s; last answer: " + redact(error.message()));
        }
        ProviderServiceException.Builder b = ProviderServiceException.builder(provider, spec.describe(),
                response.status()).message(redact(error.message()));
        error.requestId().ifPresent(b::requestId);
        ra.ifPresent(b::retryAfter);
        return b.build();
    }

    private static boolean isSuccess(int status) {
        return (status >= 200 && status < 300) || status == 304;
    }

    /** The host and port a transport error names, so that a wrong endpoint override is seen at once. */
    private static String endpoint(URI uri) {
        int port = uri.getPort() != -1 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
        return uri.getHost() + ":" + port;
    }

    private HttpSender.Request toRequest(HttpRequestSpec spec) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Accept", List.of("application/json"));
        headers.put("User-Agent", List.of(USER_AGENT));
        authorization.get().ifPresent(value -> headers.put("Authorization", List.of(value)));
        byte[] body = new byte[0];
        if (spec.body().isPresent()) {
            try {
                body = mapper.get().writeValueAsBytes(spec.body().get());
            } catch (IOException e) {
                throw new IllegalArgumentException("request body of " + spec.describe() + " cannot be written as JSON", e);
            }
            headers.put("Content-Type", List.of("application/json"));
        }
        return new HttpSender.Request(spec.method(), uri(spec), headers, body, requestTimeout);
    }

    /**
     * @param spec a request
     * @return the URL it is sent to
     */
    public URI uri(HttpRequestSpec spec) {
        StringBuilder sb = new StringBuilder(spec.absolute().map(URI::toString).orElse(baseUri + spec.path()));
        char sep = sb.indexOf("?") >= 0 ? '&' : '?';
        for (Map.Entry<String, String> q : spec.query().entrySet()) {
            sb.append(sep).append(URLEncoder.encode(q.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return URI.create(sb.toString());
    }

    /**
     * @param text any text
     * @return the text with every registered secret replaced by {@code ****}
     */
    public String redact(String text) {
        String out = text;
        for (Secret s : redactions) {
            String v = s.reveal();
            out = out.replace(v, "****");
            String encoded = URLEncoder.encode(v, StandardCharsets.UTF_8);
            if (!encoded.equals(v)) {
                out = out.replace(encoded, "****");
            }
        }
        return out;
    }

    private Throwable sanitized(Throwable cause) {
        String msg = cause.getMessage();
        if (msg == null || redact(msg).equals(msg)) {
            return cause;
        }
        IOException clean = new IOException(cause.getClass().getSimpleName() + ": " + redact(msg));
        clean.setStackTrace(cause.getStackTrace());
        return clean;
    }

    /**
     * Marks the client closed: a later {@link #send} throws {@link IllegalStateException}. Idempotent. The JDK's
     * client releases its idle threads by itself (Java 17 has no {@code HttpClient.close()}; a custom executor shut
     * down under it makes it spin, so none is used).
     */
    @Override
    public void close() {
        closed = true;
    }

    /** Builds a {@link JsonHttpClient}. */
    public static final class Builder {
        private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private final String provider;
        private final URI baseUri;
        private Supplier<Optional<String>> authorization = Optional::empty;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private @Nullable HttpSender sender;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private RetrySettings retry = RetrySettings.defaults();
        private RequestPacer pacer = RequestPacer.NONE;
        private ErrorDecoder errorDecoder = ErrorDecoder.generic();
        private @Nullable ObjectMapper mapper;
        private final List<Secret> redactions = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private Sleeper sleeper = Sleeper.SYSTEM;

        private Builder(String provider, URI baseUri) {
            this.provider = Objects.requireNonNull(provider, "provider");
            this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
            String scheme = String.valueOf(baseUri.getScheme());
            if (!scheme.equals("https") && !(scheme.equals("http") && baseUri.getHost() != null
                    && Loopback.isLoopback(baseUri.getHost()))) {
                throw new IllegalArgumentException(provider + " endpoint must be https:// (http:// only on loopback): "
                        + baseUri.getScheme() + "://" + baseUri.getHost());
            }
        }

        /**
         * @param max the largest response body read, default {@value JsonHttpClient#DEFAULT_MAX_RESPONSE_BYTES}
         *     bytes; a longer one fails the call without a retry
         * @return this builder
         */
        public Builder maxResponseBytes(long max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxResponseBytes must be positive, got " + max);
            }
            this.maxResponseBytes = max;
            return this;
        }

        /**
         * @param headerValue supplies the {@code Authorization} header value (e.g. {@code "Token ..."}); never logged
         * @return this builder
         */
        public Builder authorization(Supplier<String> headerValue) {
            Objects.requireNonNull(headerValue, "headerValue");
            this.authorization = () -> Optional.of(headerValue.get());
            return this;
        }

        /**
         * @param secrets values never to show in logs or messages
         * @return this builder
         */
        public Builder redact(Secret... secrets) {
            redactions.addAll(List.of(secrets));
            return this;
        }

        /**
         * @param s the sender of every exchange (default: a JDK client with the connect timeout, built on the first
         *     request)
         * @return this builder
         */
        public Builder sender(HttpSender s) {
            this.sender = Objects.requireNonNull(s);
            return this;
        }

        /**
         * @param d the connect timeout of the default sender
         * @return this builder
         */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = Objects.requireNonNull(d);
            return this;
        }

        /**
         * @param d timeout for one whole request (per attempt)
         * @return this builder
         */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = Objects.requireNonNull(d);
            return this;
        }

        /**
         * @param r retry settings
         * @return this builder
         */
        public Builder retry(RetrySettings r) {
            this.retry = Objects.requireNonNull(r);
            return this;
        }

        /**
         * @param p client-side pacing
         * @return this builder
         */
        public Builder pacer(RequestPacer p) {
            this.pacer = Objects.requireNonNull(p);
            return this;
        }

        /**
         * @param d how error bodies are read
         * @return this builder
         */
        public Builder errorDecoder(ErrorDecoder d) {
            this.errorDecoder = Objects.requireNonNull(d);
            return this;
        }

        /**
         * @param m the JSON mapper (default: one lenient mapper shared by every client, built on first use)
         * @return this builder
         */
        public Builder mapper(ObjectMapper m) {
            this.mapper = Objects.requireNonNull(m);
            return this;
        }

        /**
         * @param c clock for Retry-After dates and quota times
         * @return this builder
         */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        /**
         * @param r source of jitter in [0, 1), for tests
         * @return this builder
         */
        public Builder random(DoubleSupplier r) {
            this.random = Objects.requireNonNull(r);
            return this;
        }

        /**
         * @param s how to wait between attempts (backoff and {@code Retry-After}); tests record instead of sleeping
         * @return this builder
         */
        public Builder sleeper(Sleeper s) {
            this.sleeper = Objects.requireNonNull(s);
            return this;
        }

        /** @return the client */
        public JsonHttpClient build() {
            return new JsonHttpClient(this);
        }
    }
}
