package io.azt3knet.mail.inbound.webhook;

import io.azt3knet.mail.inbound.maildir.MaildirMessageStore;
import io.azt3knet.mail.inbound.maildir.MaildirSink;
import io.azt3knet.mail.inbox.MessageListener;
import io.azt3knet.mail.inbox.MessageStore;
import io.azt3knet.mail.inbox.Subscription;
import io.azt3knet.mail.internal.util.LogText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link InboundWebhookHandler} over HTTP/1.1 on an embedded Jetty 12 server, serving a bounded number of
 * calls at once. It listens on the loopback interface unless told otherwise: put it behind a TLS-terminating
 * reverse proxy, the provider must reach it over HTTPS (see {@code SECURITY.md}).
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
 * <p>Inbound events: {@link Builder#messageListener(String, MessageListener)} registers a named listener that is
 * told about each message after it is durably stored, once per stored message and never for a redelivery the
 * webhook recognised. A listener that throws does not change the webhook's answer (the message is safe already):
 * it is offered the message again on the next catch-up ({@link #subscription(String)}{@code .replay()}, the
 * periodic catch-up, or the next start). The listener's cursor is persisted next to the mail, so after a crash
 * it catches up with everything stored since. This is {@link MessageStore#subscribe(String, MessageListener)}
 * started with the server and closed with it, on the {@link MaildirMessageStore} over the handler's
 * {@link MaildirSink} (or the store given to {@link Builder#messageStore(MessageStore)}).
 *
 * <pre>{@code
 * try (InboundWebhookServer server = InboundWebhookServer.builder(handler)
 *         .port(8025).path("/mailjet/inbound")
 *         .messageListener("orchestrator", message -> System.out.println(message.summary().subject()))
 *         .start()) {
 *     server.awaitStop();
 * }
 * }</pre>
 *
 * <p>Workers: the handler answers only once the message is on disk, so a call spends most of its time waiting for
 * {@code fsync}. Up to {@link Builder#threads(int)} calls ({@value Builder#DEFAULT_THREADS} by default) are served
 * at once, each on the Jetty thread that read its request head, so that that many deliveries share each disk flush
 * (the sink groups their directory flushes); with fewer, concurrent senders queue behind the disk (4 workers and 16
 * senders measured a p99 four times the disk's own). Calls beyond them wait in a bounded queue, without holding a
 * thread, and are served by the threads that finish theirs. Each call served may hold one body of up to the
 * handler's limit in memory: lower {@link Builder#threads(int)} when memory is tight.
 *
 * <p>Slow and greedy clients cannot starve the webhook:
 * <ul>
 *   <li>request lines and headers are parsed without holding a thread (Jetty reads them as they arrive), and
 *       a connection whose request head is not complete within {@link Builder#headerTimeout(Duration)}
 *       (20 s by default) is closed; the deadline runs from the moment the connection was accepted or, on a
 *       kept-alive connection, its previous answer was written, so an idle kept-alive connection is closed
 *       after the same time;</li>
 *   <li>these deadlines and the body's below are checked on a tick of a tenth of the shorter timeout (between
 *       10 ms and 1 s), so a connection or a body may be cut off up to that much after its deadline;</li>
 *   <li>one client address holds at most {@link Builder#maxConnectionsPerClient(int)} connections at once
 *       (32 by default); a connection beyond that is closed as soon as it is accepted;</li>
 *   <li>a request body must arrive in full within {@link Builder#bodyReadTimeout(Duration)} (60 s by
 *       default), or the call is answered 408 and its connection closed;</li>
 *   <li>when every worker is busy and the queue is full, further requests get 503 with {@code Retry-After},
 *       written without blocking, so the provider retries later.</li>
 * </ul>
 * Why Jetty and not the JDK's {@code com.sun.net.httpserver}: the JDK server reads the request line and
 * headers on the worker thread, so 40 connections trickling partial headers held every worker and a valid
 * delivery waited behind them; its only header deadline is the JVM-wide system property
 * {@code sun.net.httpserver.maxReqTime}, read once per JVM, and it offers no hook to count connections per
 * address before a worker is taken. Behind a reverse proxy every connection comes from the proxy's address:
 * raise {@link Builder#maxConnectionsPerClient(int)} there and limit per client in the proxy.
 */
public final class InboundWebhookServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InboundWebhookServer.class);

    private final InboundWebhookHandler handler;
    private final String path;
    private final Duration shutdownTimeout;
    private final Duration bodyReadTimeout;
    private final Duration headerTimeout;
    private final int maxConnectionsPerClient;
    private final Server server;
    private final ServerConnector connector;
    /** One per call being served: at most {@link Builder#threads(int)} calls are served at once. */
    private final Semaphore permits;
    /**
     * Calls admitted while every permit was taken; served, in order, by the threads that finish theirs. Lock-free:
     * every call looks at it once it is served, and a locked queue made the sixteen threads of a busy server queue
     * for its lock.
     */
    private final Queue<Call> waiting = new ConcurrentLinkedQueue<>();
    /** The calls in {@link #waiting}, counted before they are added: the queue's bound. */
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final int queueCapacity;
    /** Checks every connection's header deadline and every body's deadline, once per tick. */
    private final Thread deadlines;
    private final long deadlineTickNanos;
    private final Set<ReadDeadlineInputStream> bodies = ConcurrentHashMap.newKeySet();
    private final Map<Connection, ConnectionState> connections = new ConcurrentHashMap<>();
    private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    /** Calls being served; {@link #close()} waits on {@link #inFlightLock} for it to reach zero. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object inFlightLock = new Object();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stoppingSignal = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final @Nullable MessageStore ownedStore;

    private InboundWebhookServer(Builder b) throws Exception {
        this.handler = b.handler;
        this.path = b.path;
        this.shutdownTimeout = b.shutdownTimeout;
        this.bodyReadTimeout = b.bodyReadTimeout;
        this.headerTimeout = b.headerTimeout;
        this.maxConnectionsPerClient = b.maxConnectionsPerClient;
        MessageStore store = null;
        if (!b.listeners.isEmpty()) {
            store = b.store.orElseGet(() -> storeOf(b.handler));
        }
        this.ownedStore = b.store.isPresent() ? null : store;
        try {
            // before the first request: a listener catches up from its cursor, then hears of every new message
            for (Map.Entry<String, MessageListener> l : b.listeners.entrySet()) {
                subscriptions.put(l.getKey(), java.util.Objects.requireNonNull(store).subscribe(l.getKey(), l.getValue()));
            }
        } catch (RuntimeException e) {
            closeSubscriptions();
            throw e;
        }
        this.permits = new Semaphore(b.threads);
        this.queueCapacity = b.queue.orElse(b.threads * 8);
        this.deadlineTickNanos = deadlineTick(b.headerTimeout, b.bodyReadTimeout);
        this.deadlines = new Thread(this::enforceDeadlines, "inbound-webhook-deadlines");
        deadlines.setDaemon(true);
        deadlines.start();

        // the calls are served on Jetty's threads (a handoff to a pool of our own cost a thread wake-up per call):
        // the permits, plus room for the selector, the acceptor and the threads that queue or turn away calls
        QueuedThreadPool io = new QueuedThreadPool(b.threads + 16, 2);
        io.setName("inbound-webhook");
        this.server = new Server(io);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        // kept alive: a connection per request costs a loopback or TLS handshake and as much CPU as storing a 4 KB
        // message (measured by IngestLoadRun); each request head gets its own deadline, re-armed after an answer
        http.setPersistentConnectionsEnabled(true);
        http.setDelayDispatchUntilContent(false);
        http.setRequestHeaderSize(16 * 1024);
        this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(b.bindAddress.getHostAddress());
        connector.setPort(b.port);
        connector.setAcceptQueueSize(b.backlog);
        connector.setIdleTimeout(Math.max(1000, Math.min(b.headerTimeout.toMillis(), b.bodyReadTimeout.toMillis())));
        connector.addEventListener(new ConnectionGuard());
        server.addConnector(connector);
        server.setHandler(new Dispatch());
        server.setStopTimeout(0);
        try {
            server.start();
        } catch (Exception e) {
            closeSubscriptions();
            stopDeadlines();
            try {
                server.stop();
            } catch (Exception ignored) {
                // already failed to start
            }
            throw e;
        }
        LOG.info("Inbound webhook listening on {}:{}{}", b.bindAddress.getHostAddress(), port(), LogText.escape(path));
    }

    /**
     * @param handler the webhook logic
     * @return a builder
     */
    public static Builder builder(InboundWebhookHandler handler) {
        return new Builder(handler);
    }

    /** The store the listeners read from when none was given: the handler's Maildir, read back. */
    private static MessageStore storeOf(InboundWebhookHandler handler) {
        if (handler.sink() instanceof MaildirSink maildir) {
            return MaildirMessageStore.builder(maildir.root()).build();
        }
        throw new IllegalStateException("message listeners read the stored messages back: the handler's sink is not a "
                + "MaildirSink, so give the store it writes to with messageStore(MessageStore)");
    }

    /**
     * @param name a listener's name, as given to {@link Builder#messageListener(String, MessageListener)}
     * @return its running subscription, e.g. to {@link Subscription#replay() replay} what it missed
     * @throws IllegalArgumentException if no listener of that name was registered
     */
    public Subscription subscription(String name) {
        Subscription s = subscriptions.get(java.util.Objects.requireNonNull(name, "name"));
        if (s == null) {
            throw new IllegalArgumentException("no message listener named " + name + " was registered on this server");
        }
        return s;
    }

    private void closeSubscriptions() {
        for (Subscription s : subscriptions.values()) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("Message listener {} did not stop cleanly: {}", s.name(), e.toString());
            }
        }
        if (ownedStore != null) {
            ownedStore.close();
        }
    }

    /** @return the port the server listens on (useful after binding port 0) */
    public int port() {
        return connector.getLocalPort();
    }

    /** @return the address the server is bound to */
    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), port());
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

    /** Counts connections per client address and arms each connection's header deadline. */
    private final class ConnectionGuard implements Connection.Listener {
        @Override
        public void onOpened(Connection connection) {
            Optional<InetAddress> client = clientOf(connection.getEndPoint().getRemoteSocketAddress());
            ConnectionState state = new ConnectionState(client);
            connections.put(connection, state);
            if (client.isPresent()) {
                int open = perClient.computeIfAbsent(client.get(), a -> new AtomicInteger()).incrementAndGet();
                state.counted = true;
                if (open > maxConnectionsPerClient) {
                    LOG.warn("Closing a connection from {}: it already holds {} (the limit per client address)",
                            LogText.escape(client.get().getHostAddress()), maxConnectionsPerClient);
                    connection.getEndPoint().close();
                    return;
                }
            }
            state.armHeaderDeadline(headerTimeout);
        }

        @Override
        public void onClosed(Connection connection) {
            ConnectionState state = connections.remove(connection);
            if (state == null) {
                return;
            }
            if (state.counted && state.client.isPresent()) {
                perClient.computeIfPresent(state.client.get(), (a, n) -> n.decrementAndGet() <= 0 ? null : n);
            }
        }
    }

    /**
     * A tenth of the shorter timeout, between 10 ms and 1 s: how late past its deadline a connection or a body may
     * be cut off. One thread checks them all on this tick; scheduling a timer task per request, as this server first
     * did, cost two locked queue operations per request on a queue shared by every thread, and a wake-up of the timer
     * thread for most requests (its earliest task kept changing).
     */
    static long deadlineTick(Duration headerTimeout, Duration bodyReadTimeout) {
        long tenth = Math.min(headerTimeout.toNanos(), bodyReadTimeout.toNanos()) / 10;
        return Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1), tenth));
    }

    /**
     * The deadline thread: once per tick, closes the connections and fails the bodies whose time is up. A failure to
     * close one is logged and does not stop the thread: the other deadlines still hold.
     */
    private void enforceDeadlines() {
        while (!Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(deadlineTickNanos);
            long now = System.nanoTime();
            connections.forEach((connection, state) -> {
                long due = state.headerDue.get();
                if (due != ConnectionState.NO_DEADLINE && now - due >= 0
                        && state.headerDue.compareAndSet(due, ConnectionState.NO_DEADLINE)) {
                    LOG.debug("Closing a connection from {}: no complete request head within {}",
                            state.client.map(InetAddress::getHostAddress).orElse("?"), headerTimeout);
                    try {
                        connection.getEndPoint().close();
                    } catch (RuntimeException e) {
                        LOG.warn("Could not close a connection past its header deadline: {}", LogText.escape(e));
                    }
                }
            });
            bodies.removeIf(body -> {
                try {
                    return body.expireIfDue(now);
                } catch (RuntimeException e) {
                    LOG.warn("Could not fail a request body past its deadline: {}", LogText.escape(e));
                    return true; // expired all the same: its reads fail
                }
            });
        }
    }

    private static Optional<InetAddress> clientOf(@Nullable SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? Optional.of(inet.getAddress()) : Optional.empty();
    }

    /** Per connection: its client, whether it was counted against the client's limit, its header deadline. */
    private static final class ConnectionState {
        static final long NO_DEADLINE = Long.MIN_VALUE;
        final Optional<InetAddress> client;
        volatile boolean counted;
        /**
         * When the connection is closed unless a request head arrived ({@link System#nanoTime()}), or
         * {@link #NO_DEADLINE} while a request is answered. One atomic value: the deadline thread closes the
         * connection only if it takes the very deadline it found expired.
         */
        final AtomicLong headerDue = new AtomicLong(NO_DEADLINE);

        ConnectionState(Optional<InetAddress> client) {
            this.client = client;
        }

        /** The connection is closed unless a request head arrives within the timeout from now. */
        void armHeaderDeadline(Duration timeout) {
            headerDue.set(System.nanoTime() + timeout.toNanos());
        }
    }

    /**
     * Runs on a Jetty thread once a request head is complete: serves the call on this thread if fewer than
     * {@link Builder#threads(int)} are being served, else queues it (or answers 503 when the queue is full) and
     * returns at once.
     */
    private final class Dispatch extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Connection connection = request.getConnectionMetaData().getConnection();
            ConnectionState state = connections.get(connection);
            Callback done = callback;
            if (state != null) {
                state.headerDue.set(ConnectionState.NO_DEADLINE); // one request at a time per HTTP/1.1 connection
                // the next request head on a kept-alive connection has a deadline of its own, armed before Jetty
                // reads it (it does so only once this callback completes)
                done = Callback.from(() -> state.armHeaderDeadline(headerTimeout), callback);
            }
            Call call = new Call(request, response, done);
            if (permits.tryAcquire()) {
                serveFrom(call);
            } else if (enqueue(call)) {
                serveFrom(null); // a permit may have been released meanwhile: no call waits while one is free
            } else {
                LOG.warn("Inbound webhook overloaded: answering 503 so that the sender retries later");
                write(response, done, new WebhookResponse(503, "busy, retry later\n",
                        Map.of("Connection", "close", "Retry-After", "10")));
            }
            return true;
        }
    }

    /** A call admitted to be served: the request, its response and the callback that completes it. */
    private record Call(Request request, Response response, Callback callback) {
    }

    /**
     * Serves {@code first} (for which the caller holds a permit), then the waiting calls, on the calling thread, until
     * none waits; then releases the permit. With {@code first} null, first takes a permit for a waiting call, if both
     * are there. Every thread that releases a permit looks at the queue again, and every thread that queues a call
     * looks at the permits again, so no call waits while a permit is free.
     */
    private void serveFrom(@Nullable Call first) {
        Call call = first;
        while (true) {
            if (call == null) {
                if (waiting.isEmpty() || !permits.tryAcquire()) {
                    return;
                }
                call = dequeue();
                if (call == null) {
                    permits.release(); // another thread took it
                    continue;
                }
            }
            try {
                serve(call.request(), call.response(), call.callback());
            } catch (Error e) {
                permits.release();
                throw e;
            }
            call = dequeue();
            if (call == null) {
                permits.release();
            }
        }
    }

    /** @return whether the call was queued; false when the queue is full */
    private boolean enqueue(Call call) {
        if (waitingCount.incrementAndGet() > queueCapacity) {
            waitingCount.decrementAndGet();
            return false;
        }
        waiting.add(call);
        return true;
    }

    private @Nullable Call dequeue() {
        Call call = waiting.poll();
        if (call != null) {
            waitingCount.decrementAndGet();
        }
        return call;
    }

    private void serve(Request request, Response response, Callback callback) {
        inFlight.incrementAndGet();
        ReadDeadlineInputStream deadlined = new ReadDeadlineInputStream(Request.asInputStream(request), bodyReadTimeout,
                () -> request.fail(new SocketTimeoutException("the request body did not arrive within " + bodyReadTimeout)));
        bodies.add(deadlined);
        try (InputStream body = deadlined) {
            WebhookResponse answer;
            if (stopping.get()) {
                answer = new WebhookResponse(503, "shutting down, retry later\n",
                        Map.of("Connection", "close", "Retry-After", "30"));
            } else if (!request.getHttpURI().getPath().equals(path)) {
                answer = new WebhookResponse(404, "not found\n", Map.of("Connection", "close"));
            } else {
                Map<String, List<String>> headers = new LinkedHashMap<>();
                for (HttpField field : request.getHeaders()) {
                    headers.computeIfAbsent(field.getName(), k -> new ArrayList<>()).add(field.getValue());
                }
                String query = Optional.ofNullable(request.getHttpURI().getQuery()).orElse("");
                long length = request.getLength();
                answer = handler.handle(new WebhookRequest(request.getMethod(), headers, query, body,
                        length >= 0 ? OptionalLong.of(length) : OptionalLong.empty()));
            }
            write(response, callback, answer);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not answer an inbound webhook call (the client may have gone away)", e);
            callback.failed(e);
        } finally {
            bodies.remove(deadlined);
            inFlight.decrementAndGet();
            if (stopping.get()) { // read after the decrement: close() sets it before it reads the count
                synchronized (inFlightLock) {
                    inFlightLock.notifyAll();
                }
            }
        }
    }

    private static void write(Response response, Callback callback, WebhookResponse answer) {
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        response.setStatus(answer.status());
        response.getHeaders().put("Content-Type", "text/plain; charset=utf-8");
        answer.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        response.getHeaders().put("Content-Length", Integer.toString(bytes.length));
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /**
     * Stops gracefully: new calls get 503, calls in flight finish (bounded by the shutdown timeout), then
     * the listener and its threads stop. Idempotent.
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
                while (inFlight.get() > 0 || !waiting.isEmpty()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        LOG.warn("Stopping the inbound webhook with {} call(s) still in flight after {}", inFlight.get(),
                                shutdownTimeout);
                        break;
                    }
                    // queued calls are answered 503 by the threads that finish theirs (and then notify): a wait of
                    // at most 100 ms at a time looks again in case the last one finished before any was queued
                    TimeUnit.NANOSECONDS.timedWait(inFlightLock, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            server.stop(); // interrupts the calls still in flight after the shutdown timeout
        } catch (Exception e) {
            LOG.warn("The inbound webhook's HTTP server did not stop cleanly: {}", LogText.escape(e));
        }
        stopDeadlines();
        closeSubscriptions(); // after the last answer: every stored message was offered to the listeners' threads
        LOG.info("Inbound webhook stopped");
        stopped.countDown();
    }

    private void stopDeadlines() {
        deadlines.interrupt();
    }

    /** Builds and starts an {@link InboundWebhookServer}. */
    public static final class Builder {
        /** The default number of calls served at once. */
        public static final int DEFAULT_THREADS = 16;

        private final InboundWebhookHandler handler;
        private final Map<String, MessageListener> listeners = new LinkedHashMap<>();
        private Optional<MessageStore> store = Optional.empty();
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port = 8080;
        private String path = "/";
        private int threads = DEFAULT_THREADS;
        private int backlog = 50;
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private Duration bodyReadTimeout = Duration.ofSeconds(60);
        private Duration headerTimeout = Duration.ofSeconds(20);
        private int maxConnectionsPerClient = 32;
        private OptionalInt queue = OptionalInt.empty();

        private Builder(InboundWebhookHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /**
         * @param address the interface to listen on; default the loopback interface (a reverse proxy on the
         *     same machine forwards to it); {@code 0.0.0.0} for every interface
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
         * @param threads how many calls are served at once (each on a thread), default {@value #DEFAULT_THREADS}:
         *     deliveries wait for the disk, and this many share its flushes; each may hold a body of up to the
         *     handler's limit in memory
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
         * @param queue how many requests may wait to be served, default 8 per thread; beyond that they are
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
         * @param timeout how long a connection may take to deliver a complete request line and headers,
         *     default 20 s; past it the connection is closed
         * @return this builder
         */
        public Builder headerTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("headerTimeout must be positive");
            }
            this.headerTimeout = timeout;
            return this;
        }

        /**
         * @param max how many connections one client address may hold open at once, default 32; a further
         *     connection is closed when accepted. Behind a reverse proxy all connections come from the proxy
         * @return this builder
         */
        public Builder maxConnectionsPerClient(int max) {
            if (max < 1 || max > 100_000) {
                throw new IllegalArgumentException("maxConnectionsPerClient must be 1..100000, got " + max);
            }
            this.maxConnectionsPerClient = max;
            return this;
        }

        /**
         * Registers a named listener, told about each message after it is durably stored: once per stored message,
         * never for a redelivery the webhook recognised, on a thread of its own, in delivery order. It is
         * {@link MessageStore#subscribe(String, MessageListener)} on the store the handler writes to, started
         * before the server accepts its first call (catching up with everything stored since the name's persisted
         * cursor) and closed with the server. A listener that throws does not fail the webhook's answer; the
         * message is offered again on the next catch-up, see {@link Subscription}.
         *
         * @param name the listener's name, which keys its cursor: 1 to 64 of {@code [A-Za-z0-9._-]}, not starting
         *     with a dot
         * @param listener told about each stored message
         * @return this builder
         * @throws IllegalArgumentException if a listener of that name was registered already
         */
        public Builder messageListener(String name, MessageListener listener) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(listener, "listener");
            if (listeners.putIfAbsent(name, listener) != null) {
                throw new IllegalArgumentException("a message listener named " + name + " is registered already");
            }
            return this;
        }

        /**
         * @param store the store the handler's sink writes to, where message listeners read messages and keep
         *     their cursors; by default a {@link MaildirMessageStore} over the handler's {@link MaildirSink}, owned
         *     and closed by the server (a store given here is left open)
         * @return this builder
         */
        public Builder messageStore(MessageStore store) {
            this.store = Optional.of(Objects.requireNonNull(store, "store"));
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
         * @throws IllegalStateException if message listeners were registered, the handler's sink is not a
         *     {@link MaildirSink} and no {@link #messageStore(MessageStore)} was given
         * @throws io.azt3knet.mail.MessageStoreException if a listener's cursor cannot be read
         */
        public InboundWebhookServer start() {
            try {
                return new InboundWebhookServer(this);
            } catch (IllegalStateException | IllegalArgumentException | io.azt3knet.mail.MessageStoreException e) {
                throw e; // the listeners' store, not the port
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on port " + port + ": " + e.getMessage(), e);
            } catch (Exception e) {
                throw new UncheckedIOException("cannot listen on port " + port + ": " + e,
                        new IOException(e.getMessage(), e));
            }
        }
    }
}
