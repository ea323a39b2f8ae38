package io.azt3knet.mail.inbound.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link InboundWebhookHandler} on the JDK's built-in HTTP server, with a bounded pool of worker
 * threads. Put it behind a TLS-terminating reverse proxy: the provider must reach it over HTTPS.
 *
 * <pre>{@code
 * try (InboundWebhookServer server = InboundWebhookServer.builder(handler)
 *         .port(8025).path("/mailjet/inbound").start()) {
 *     server.awaitStop();
 * }
 * }</pre>
 *
 * {@link #close()} stops gracefully: requests arriving from then on get 503 (the provider retries them),
 * requests in flight finish (up to {@link Builder#shutdownTimeout(Duration)}), then the server stops.
 *
 * <p>Slow clients cannot hold the workers: a request body must arrive in full within
 * {@link Builder#bodyReadTimeout(Duration)} (60 s by default), or the connection is answered 408 or closed;
 * when every worker is busy and the queue is full, further requests get 503 with {@code Retry-After} from a
 * separate thread, so the thread accepting connections never runs a request itself. The JDK server reads the
 * request line and headers on the worker thread without a deadline of its own; the JVM-wide system property
 * {@code sun.net.httpserver.maxReqTime} (seconds) bounds that, and a reverse proxy in front does as well.
 */
public final class InboundWebhookServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InboundWebhookServer.class);

    private final InboundWebhookHandler handler;
    private final String path;
    private final Duration shutdownTimeout;
    private final HttpServer server;
    private final Duration bodyReadTimeout;
    private final ThreadPoolExecutor executor;
    /** Answers 503 when the workers and their queue are full, so that the accepting thread never blocks. */
    private final ThreadPoolExecutor overflow;
    private final ThreadLocal<Boolean> shedding = ThreadLocal.withInitial(() -> false);
    private final ScheduledThreadPoolExecutor alarms;
    private final Object inFlightLock = new Object();
    private int inFlight;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stoppingSignal = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    private InboundWebhookServer(Builder b) throws IOException {
        this.handler = b.handler;
        this.path = b.path;
        this.shutdownTimeout = b.shutdownTimeout;
        this.bodyReadTimeout = b.bodyReadTimeout;
        InetSocketAddress address = b.bindAddress == null
                ? new InetSocketAddress(b.port) : new InetSocketAddress(b.bindAddress, b.port);
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(b.threads, b.threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(b.queue.orElse(b.threads * 8)),
                r -> worker(r, "inbound-webhook-" + threadNumber.incrementAndGet()),
                new ThreadPoolExecutor.AbortPolicy());
        // one thread answering 503 without reading bodies; when even it is saturated, the JDK server closes
        // the connection (it does so when its executor refuses a request): the provider retries either way
        this.overflow = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(64),
                r -> worker(r, "inbound-webhook-overflow"), new ThreadPoolExecutor.AbortPolicy());
        this.alarms = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "inbound-webhook-deadlines");
            t.setDaemon(true);
            return t;
        });
        alarms.setRemoveOnCancelPolicy(true);
        this.server = HttpServer.create(address, b.backlog);
        server.createContext(path, this::serve);
        server.setExecutor(this::dispatch);
        server.start();
        LOG.info("Inbound webhook listening on {}{}", server.getAddress(), path);
    }

    /**
     * @param handler the webhook logic
     * @return a builder
     */
    public static Builder builder(InboundWebhookHandler handler) {
        return new Builder(handler);
    }

    /** @return the port the server listens on (useful after binding port 0) */
    public int port() {
        return server.getAddress().getPort();
    }

    /** @return the address the server is bound to */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** @return the path the webhook answers on */
    public String path() {
        return path;
    }

    /**
     * Blocks until {@link #close()} has stopped the server (e.g. from a shutdown hook).
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Test seam: waits until {@link #close()} has started refusing new calls. */
    boolean awaitStopping(long timeout, TimeUnit unit) throws InterruptedException {
        return stoppingSignal.await(timeout, unit);
    }

    private static Thread worker(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(false); // a request in flight finishes even when the JVM is asked to exit
        return t;
    }

    /** Runs on the thread accepting connections: must never block nor run a request itself. */
    private void dispatch(Runnable exchange) {
        try {
            executor.execute(exchange);
        } catch (RejectedExecutionException busy) {
            overflow.execute(() -> { // throws when saturated too: the JDK server then closes the connection
                shedding.set(true);
                try {
                    exchange.run();
                } finally {
                    shedding.remove();
                }
            });
        }
    }

    private void serve(HttpExchange exchange) {
        synchronized (inFlightLock) {
            inFlight++;
        }
        try (exchange; InputStream body = new ReadDeadlineInputStream(exchange.getRequestBody(), bodyReadTimeout,
                alarms)) {
            if (stopping.get()) {
                respond(exchange, new WebhookResponse(503, "shutting down, retry later\n",
                        Map.of("Connection", "close", "Retry-After", "30")));
                return;
            }
            if (shedding.get()) {
                LOG.warn("Inbound webhook overloaded: answering 503 so that the sender retries later");
                respond(exchange, new WebhookResponse(503, "busy, retry later\n",
                        Map.of("Connection", "close", "Retry-After", "10")));
                return;
            }
            if (!exchange.getRequestURI().getPath().equals(path)) {
                respond(exchange, new WebhookResponse(404, "not found\n", Map.of("Connection", "close")));
                return;
            }
            Map<String, List<String>> headers = new HashMap<>(exchange.getRequestHeaders());
            String query = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
            WebhookRequest request = new WebhookRequest(exchange.getRequestMethod(), headers, query, body,
                    contentLength(exchange));
            respond(exchange, handler.handle(request));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not answer an inbound webhook call (the client may have gone away)", e);
        } finally {
            synchronized (inFlightLock) {
                inFlight--;
                inFlightLock.notifyAll();
            }
        }
    }

    private static OptionalLong contentLength(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst("Content-Length");
        if (value == null || exchange.getRequestHeaders().containsKey("Transfer-Encoding")) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static void respond(HttpExchange exchange, WebhookResponse response) throws IOException {
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Stops gracefully: new calls get 503, calls in flight finish (bounded by the shutdown timeout), then
     * the listener and the worker threads stop. Idempotent.
     */
    @Override
    public void close() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        stoppingSignal.countDown();
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        try {
            synchronized (inFlightLock) {
                while (inFlight > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        LOG.warn("Stopping the inbound webhook with {} call(s) still in flight after {}", inFlight,
                                shutdownTimeout);
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(inFlightLock, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        overflow.shutdownNow();
        alarms.shutdownNow();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(Math.max(1, (deadline - System.nanoTime()) / 1_000_000),
                    TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        LOG.info("Inbound webhook stopped");
        stopped.countDown();
    }

    /** Builds and starts an {@link InboundWebhookServer}. */
    public static final class Builder {
        private final InboundWebhookHandler handler;
        private @Nullable InetAddress bindAddress;
        private int port = 8080;
        private String path = "/";
        private int threads = 4;
        private int backlog = 50;
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private Duration bodyReadTimeout = Duration.ofSeconds(60);
        private OptionalInt queue = OptionalInt.empty();

        private Builder(InboundWebhookHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /**
         * @param address the interface to listen on; default all interfaces
         * @return this builder
         */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * @param port the port, 0 for any free port; default 8080
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * @param path the exact path the webhook answers on, e.g. {@code /mailjet/inbound}; default {@code /}
         * @return this builder
         */
        public Builder path(String path) {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == '?' || c == '#')) {
                throw new IllegalArgumentException("path must start with '/' and hold no spaces, '?' or '#': " + path);
            }
            this.path = path;
            return this;
        }

        /**
         * @param threads worker threads, default 4; each may hold a body of up to the handler's limit in memory
         * @return this builder
         */
        public Builder threads(int threads) {
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("threads must be 1..256, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * @param queue how many requests may wait for a worker, default 8 per thread; beyond that they are
         *     answered 503 with {@code Retry-After}
         * @return this builder
         */
        public Builder queue(int queue) {
            if (queue < 1 || queue > 100_000) {
                throw new IllegalArgumentException("queue must be 1..100000, got " + queue);
            }
            this.queue = OptionalInt.of(queue);
            return this;
        }

        /**
         * @param timeout the total time a request body may take to arrive, however slowly it trickles in,
         *     default 60 s; past it the call is answered 408 or its connection closed
         * @return this builder
         */
        public Builder bodyReadTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("bodyReadTimeout must be positive");
            }
            this.bodyReadTimeout = timeout;
            return this;
        }

        /**
         * @param backlog the TCP accept backlog, default 50
         * @return this builder
         */
        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        /**
         * @param timeout how long {@link #close()} waits for calls in flight, default 30 s
         * @return this builder
         */
        public Builder shutdownTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("shutdownTimeout must not be negative");
            }
            this.shutdownTimeout = timeout;
            return this;
        }

        /**
         * Binds and starts the server.
         *
         * @return the running server
         * @throws UncheckedIOException if the address cannot be bound (port in use, no permission)
         */
        public InboundWebhookServer start() {
            try {
                return new InboundWebhookServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on port " + port + ": " + e.getMessage(), e);
            }
        }
    }
}
