package io.azt3knet.mail.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.inbound.maildir.MaildirSink;
import io.azt3knet.mail.inbound.webhook.InboundWebhookHandler;
import io.azt3knet.mail.inbound.webhook.InboundWebhookServer;
import io.azt3knet.mail.mailjet.MailjetInboundParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Durable webhook ingest against the disk's own pace: four servers measured in the same run, on loopback,
 * by the same client (16 concurrent connections by default, each one simulated sender sending one request after
 * the other), for 4 KB and 1 MB Mailjet-shaped payloads:
 * <ol>
 *   <li>{@code bare-200}: the JDK {@code HttpServer} reading the body and answering 200 (the HTTP ceiling);</li>
 *   <li>{@code fsync-file}: the same server writing the body to a new file and forcing it before answering
 *       (the disk's pace for one durable file per request);</li>
 *   <li>{@code maildir-floor}: the same server following the Maildir protocol with no parsing: write the body into
 *       {@code tmp/}, force it, rename it into {@code new/}, force {@code new/}, answer 200; one file and one
 *       directory force per request, in that order, without grouping (what the pipeline's durability costs by
 *       itself, without parsing or rendering);</li>
 *   <li>{@code pipeline}: {@link InboundWebhookServer} with the real handler: Basic authentication,
 *       {@link MailjetInboundParser}, redelivery detection, {@link MaildirSink} (write, force, rename, forced
 *       directory) before the 200.</li>
 * </ol>
 * Every server gets the same number of worker threads. Each scenario warms up (15 s by default, see
 * {@link #WARMUP_SECONDS}, then on until the JIT compilers are quiet, see {@link #warmUp}), then measures for a fixed
 * time
 * (bounded in time and in count) and prints messages per second, MB/s, p50, p99 and max latency, and the
 * pipeline's rate as a share of the fsync baseline.
 *
 * <p><b>What the instrument measures, and a 40 ms artifact it used to measure instead.</b> The first version sent
 * with {@code java.net.http.HttpClient} to JDK servers left at their defaults, and the bare server answered at a
 * p50 of 44 ms with 16 connections, whatever the payload: that is Nagle's algorithm meeting delayed
 * acknowledgements, not the server. The JDK {@code HttpServer} writes the response head
 * ({@code sendResponseHeaders} flushes it) and then the body in a second, small write; its sockets do not set
 * {@code TCP_NODELAY} unless the system property {@code sun.net.httpserver.nodelay} is true, so the kernel holds
 * the body back until the head is acknowledged, and the client, which has nothing to send, delays that
 * acknowledgement by Linux's minimum of 40 ms. Every request on a kept-alive connection paid it once. Measured on
 * the same machine with the raw client below: bare-200 at 4 KB, p50 44.8 ms and 345 msg/s without
 * {@code nodelay}, 3.4 ms and 2,224 msg/s with it. The pipeline's Jetty server sets {@code TCP_NODELAY} and writes
 * head and body together, so it never paid it, which made it look faster than its own baselines. Now:
 * <ul>
 *   <li>the JDK baselines run with {@code sun.net.httpserver.nodelay=true} (set before the first server starts;
 *       {@code -Dnodelay=false} shows the artifact again);</li>
 *   <li>the client is a {@link RawConnection} per sender: a plain socket with {@code TCP_NODELAY}, each request
 *       (head and body) handed to the kernel in one write, the answer read up to its {@code Content-Length},
 *       the connection kept alive when the server allows it (all four do; the webhook gives each request head a
 *       deadline of its own). {@code -Dclient=jdk-httpclient}
 *       measures with the first client, whose own CPU cost (a selector thread and several copies per request)
 *       also showed in the figures on a 2-core machine.</li>
 * </ul>
 *
 * <p>Run (after {@code ./mvnw -B -q package -DskipTests}):
 * <pre>
 * java -cp azt3knet-mail-benchmarks/target/benchmarks.jar io.azt3knet.mail.benchmarks.IngestLoadRun \
 *     [connections=16] [serverThreads=16] [seconds=10] [dir=a new temporary directory]
 *     [servers=bare-200,fsync-file,maildir-floor,pipeline] [sizes=4KB,1MB]
 * </pre>
 * Like an embedding application, the run does not name Jakarta Mail's stream provider: the library does so on
 * first use. The directory must be on the disk to measure (not a tmpfs). Each scenario writes into a directory of its
 * own. The files of 4 KB scenarios (tens of thousands) stay until the run ends, see below; those of 1 MB scenarios (a
 * few thousand, but gigabytes) are deleted as soon as their scenario ends, so that the run needs the disk space of
 * one of them (about 10 GB on the machine measured). Not a test: the figures depend on the machine and its disk, and
 * on what else runs there.
 *
 * <p><b>Deleting files slows the next creations down, on ext4 without a journal.</b> Such a file system does not reuse
 * the inode of a file deleted within the last minute (six minutes while the inode's table block is still dirty, which
 * under a write load it is): every creation walks past each such inode of its block group, one buffer-cache lookup
 * apiece ({@code recently_deleted} in {@code fs/ext4/ialloc.c}). The first version of this run emptied each scenario's
 * directory before the next one, and so made the next scenario (the pipeline ran last) create its files past the
 * tens of thousands of inodes the previous ones had just freed: {@code perf} put 26% of the pipeline threads' CPU in
 * {@code find_inode_bit}, and the floor's and the pipeline's rates swung by a factor of two from one minute to the
 * next. On such a disk, leave six minutes between two runs (the end of a run deletes its files), or run with
 * {@code -Dkeep=true}, which keeps every scenario's files (mind the disk space: tens of gigabytes with the 1 MB
 * scenarios), and delete them later.
 */
public final class IngestLoadRun {

    private static final Secret SECRET = Secret.of("ingest-load-run-secret");
    private static final String PATH = "/inbound";
    private static final int MAX_REQUESTS_PER_SCENARIO = 1_000_000;
    /**
     * Load before each measurement, so that it measures compiled code: the pipeline runs far more code than the
     * baselines (Jetty, Jackson, Jakarta Mail), and with the 3 s this run first used, C2 was still compiling it
     * during the measurement (perf put a quarter of the CPU in the JIT compiler) and the pipeline's rate rose by
     * half between a 10 s and a 30 s measurement. {@code -Dwarmup=SECONDS} changes it (1 to 120).
     */
    private static final int WARMUP_SECONDS = Math.max(1, Math.min(120, Integer.getInteger("warmup", 15)));
    /**
     * After {@link #WARMUP_SECONDS}, the warm-up goes on in slices of this length until the JIT compilers are quiet.
     * A fixed warm-up was not enough: on two cores, with sixteen busy server threads, C2 gets little CPU, and 16 to 22 s
     * into a pipeline scenario it was still compiling the parser, the sink and Jetty at level 4 (JFR: 5.7 s of compile
     * time in a 6 s window, 142 level-4 compilations); the pipeline then measured 1,239 to 1,788 msg/s at 990 to
     * 1,460 us of CPU per message, against 2,509 msg/s and 593 us after a 60 s warm-up, on the same code.
     */
    private static final int WARMUP_SLICE_SECONDS = 5;
    /** The JIT counts as quiet when it compiled for less than this share of a slice (one compiler thread's time). */
    private static final double QUIET_JIT_SHARE = 0.03;
    /** The warm-up's bound, whatever the JIT does: {@code -Dmax-warmup=SECONDS} (at least the warm-up, at most 600). */
    private static final int MAX_WARMUP_SECONDS = Math.max(WARMUP_SECONDS,
            Math.min(600, Integer.getInteger("max-warmup", 120)));
    /** {@code -Dkeep=true}: no scenario's files are deleted, not even at the end (see the class comment). */
    private static final boolean KEEP = Boolean.getBoolean("keep");

    private IngestLoadRun() {
    }

    /** What one scenario measured. */
    record Result(String server, String size, long requests, long failures, double seconds, long bytes,
            long p50Micros, long p99Micros, long maxMicros, long cpuNanos) {

        double rate() {
            return requests / seconds;
        }

        /** The whole process's CPU (server, load client, JVM) per answered request, in microseconds; -1 if unknown. */
        double cpuMicrosPerRequest() {
            return cpuNanos < 0 || requests == 0 ? -1 : cpuNanos / 1e3 / requests;
        }

        String line() {
            return String.format(Locale.ROOT, "%-11s %6s %8d req %5d failed %9.1f msg/s %7.1f MB/s  p50 %7.2f ms"
                    + "  p99 %7.2f ms  max %7.2f ms  CPU %5.0f us/msg", server, size, requests, failures, rate(),
                    bytes / seconds / 1e6, p50Micros / 1e3, p99Micros / 1e3, maxMicros / 1e3, cpuMicrosPerRequest());
        }
    }

    /**
     * CPU time of the whole process so far: a steadier figure than the rate on a shared machine, whose other work
     * takes wall time from a run but not CPU time; -1 where the JVM does not report it.
     */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    /**
     * @param args connections, server threads, seconds per scenario, directory
     * @throws Exception if a server cannot start
     */
    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path dir = args.length > 3 ? Files.createDirectories(Path.of(args[3]))
                : Files.createTempDirectory(Path.of("."), "ingest-load-run");
        List<String> servers = args.length > 4 ? List.of(args[4].split(",")) : List.of("bare-200", "fsync-file", "maildir-floor", "pipeline");
        List<String> sizes = args.length > 5 ? List.of(args[5].split(",")) : List.of("4KB", "1MB");
        if (connections < 1 || connections > 256 || threads < 1 || threads > 256 || seconds < 1 || seconds > 600) {
            System.err.println("usage: IngestLoadRun [connections 1..256] [serverThreads 1..256] [seconds 1..600] [dir]");
            System.exit(2);
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        if (!"false".equals(System.getProperty("nodelay"))) {
            // read once when the JDK server's configuration class loads, so before the first server starts: without
            // it the baselines' answers wait ~40 ms for the client's delayed ACK (see the class comment)
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        System.out.printf(Locale.ROOT, "ingest load run: %d connections, %d server threads, %d s per scenario, in %s (%s)%n",
                connections, threads, seconds, dir.toAbsolutePath(), Files.getFileStore(dir).type());
        List<Result> results = new ArrayList<>();
        for (String sizeLabel : sizes) {
            int size = sizeLabel.equals("1MB") ? 1024 * 1024 : 4 * 1024;
            for (String server : servers) {
                results.add(run(server, size, connections, threads, seconds, dir));
            }
        }
        System.out.println();
        for (Result r : results) {
            System.out.println(r.line());
        }
        for (String size : sizes) {
            Result fsync = results.stream().filter(r -> r.size().equals(size) && r.server().equals("fsync-file"))
                    .findFirst().orElse(null);
            Result pipeline = results.stream().filter(r -> r.size().equals(size) && r.server().equals("pipeline"))
                    .findFirst().orElse(null);
            if (fsync == null || pipeline == null) {
                continue;
            }
            System.out.printf(Locale.ROOT, "%s: pipeline at %.0f%% of the fsync baseline's rate, p99 %.2f ms%n", size,
                    100 * pipeline.rate() / fsync.rate(), pipeline.p99Micros() / 1e3);
            results.stream().filter(r -> r.size().equals(size) && r.server().equals("maildir-floor")).findFirst()
                    .ifPresent(floor -> System.out.printf(Locale.ROOT, "%s: the Maildir protocol alone at %.0f%% of the "
                            + "fsync baseline, the pipeline at %.0f%% of it%n", size, 100 * floor.rate() / fsync.rate(),
                            100 * pipeline.rate() / floor.rate()));
        }
        if (KEEP) {
            System.out.println("kept the scenarios' files in " + dir.toAbsolutePath());
        } else {
            delete(dir);
        }
    }

    private static Result run(String kind, int size, int connections, int threads, int seconds, Path dir)
            throws Exception {
        Path scratch = dir.resolve(kind + "-" + size);
        Files.createDirectories(scratch);
        AutoCloseable server;
        int port;
        switch (kind) {
            case "bare-200", "fsync-file", "maildir-floor" -> {
                HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
                ExecutorService workers = Executors.newFixedThreadPool(threads);
                AtomicLong sequence = new AtomicLong();
                boolean fsync = !kind.equals("bare-200");
                boolean maildir = kind.equals("maildir-floor");
                if (maildir) {
                    Files.createDirectories(scratch.resolve("tmp"));
                    Files.createDirectories(scratch.resolve("new"));
                }
                http.createContext(PATH, exchange -> {
                    String name = "m" + sequence.incrementAndGet();
                    answer(exchange, fsync ? (maildir ? scratch.resolve("tmp") : scratch).resolve(name) : null);
                    if (maildir) {
                        Files.move(scratch.resolve("tmp").resolve(name), scratch.resolve("new").resolve(name),
                                StandardCopyOption.ATOMIC_MOVE);
                        try (FileChannel directory = FileChannel.open(scratch.resolve("new"), StandardOpenOption.READ)) {
                            directory.force(true);
                        }
                    }
                    ok(exchange);
                });
                http.setExecutor(workers);
                http.start();
                port = http.getAddress().getPort();
                server = () -> {
                    http.stop(0);
                    workers.shutdownNow();
                };
            }
            case "pipeline" -> {
                MaildirSink sink = MaildirSink.builder(scratch).build();
                InboundWebhookServer webhook = InboundWebhookServer.builder(InboundWebhookHandler
                                .builder(MailjetInboundParser.create(), sink).secret(SECRET).build())
                        .bindAddress(InetAddress.getLoopbackAddress()).port(0).path(PATH).threads(threads)
                        .queue(connections * 4).start();
                port = webhook.port();
                server = () -> {
                    webhook.close();
                    sink.close(); // its delivery log, open while the webhook wrote to it
                };
            }
            default -> throw new IllegalArgumentException(kind);
        }
        try {
            URI uri = URI.create("http://127.0.0.1:" + port + PATH);
            String label = size >= 1024 * 1024 ? (size / (1024 * 1024)) + "MB" : (size / 1024) + "KB";
            warmUp(uri, kind, size, connections);
            long jitBefore = jitMillis();
            Result r = load(uri, kind, size, connections, seconds, label);
            System.out.println(r.line());
            System.out.printf(Locale.ROOT, "%-11s the JIT compiled for %.1f%% of the measurement%n", kind,
                    100 * jitShare(jitBefore, (long) (r.seconds() * 1e9)));
            return r;
        } finally {
            server.close();
            if (size >= 1024 * 1024 && !KEEP) {
                delete(scratch); // a few thousand large files: gigabytes of disk, few inodes to walk past (see above)
            }
        }
    }

    /**
     * Loads the server for {@link #WARMUP_SECONDS}, then in slices until the JIT compilers were quiet during a whole
     * slice (see {@link #QUIET_JIT_SHARE}) or {@link #MAX_WARMUP_SECONDS} passed, and says how long that took.
     */
    private static void warmUp(URI uri, String kind, int size, int connections) throws Exception {
        long start = System.nanoTime();
        load(uri, kind + "-warmup", size, connections, WARMUP_SECONDS, null);
        double jitShare;
        do {
            long jitBefore = jitMillis();
            long sliceStart = System.nanoTime();
            load(uri, kind + "-warmup", size, connections, WARMUP_SLICE_SECONDS, null);
            jitShare = jitShare(jitBefore, System.nanoTime() - sliceStart);
        } while (jitShare >= QUIET_JIT_SHARE && System.nanoTime() - start < MAX_WARMUP_SECONDS * 1_000_000_000L);
        System.out.printf(Locale.ROOT, "%-11s warmed up for %.0f s; the JIT compiled for %.1f%% of the last %d s%s%n", kind,
                (System.nanoTime() - start) / 1e9, 100 * jitShare, WARMUP_SLICE_SECONDS,
                jitShare >= QUIET_JIT_SHARE ? " (not quiet: the bound, -Dmax-warmup, was reached)" : "");
    }

    /**
     * @param jitBefore {@link #jitMillis()} at the start of the interval
     * @param elapsedNanos the interval's wall time
     * @return the share of it the JIT compilers spent compiling (one compiler thread's time); 0 where not reported
     */
    private static double jitShare(long jitBefore, long elapsedNanos) {
        return jitBefore < 0 ? 0 : (jitMillis() - jitBefore) / (elapsedNanos / 1e6);
    }

    /** The JIT compilers' total time so far (milliseconds), or -1 where the JVM does not report it. */
    private static long jitMillis() {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** Reads the body; with a file, writes it there and forces it. */
    private static void answer(HttpExchange exchange, Path file) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            if (file == null) {
                in.transferTo(OutputStream.nullOutputStream());
            } else {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    byte[] buffer = new byte[64 * 1024];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
                        while (b.hasRemaining()) {
                            channel.write(b);
                        }
                    }
                    channel.force(true);
                }
            }
        }
    }

    private static void ok(HttpExchange exchange) throws IOException {
        byte[] ok = "stored\n".getBytes(StandardCharsets.US_ASCII);
        exchange.sendResponseHeaders(200, ok.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(ok);
        }
    }

    private static Result load(URI uri, String kind, int size, int connections, int seconds, String label)
            throws Exception {
        String authorization = "Basic " + Base64.getEncoder().encodeToString(
                ("mailjet:" + SECRET.reveal()).getBytes(StandardCharsets.UTF_8));
        return "jdk-httpclient".equals(System.getProperty("client"))
                ? load(() -> httpClientSender(uri, authorization), kind, size, connections, seconds, label)
                : load(() -> socketSender(uri, authorization), kind, size, connections, seconds, label);
    }

    /** One request, ready to go: sending it is what a latency measures. */
    @FunctionalInterface
    private interface Exchange {
        int send() throws IOException, InterruptedException;
    }

    /** One simulated sender's transport. */
    private interface Sender extends AutoCloseable {
        /** Prepares a POST of this body; the preparation is not part of the latency. */
        Exchange prepare(byte[] body);

        @Override
        void close();
    }

    /**
     * The default client: one {@link RawConnection} per simulated sender, each request written in one write on a
     * {@code TCP_NODELAY} socket, kept alive when the server allows it (a server that answers
     * {@code Connection: close} costs a new connection per request, counted in the latency as a sender pays it).
     */
    private static Sender socketSender(URI uri, String authorization) {
        RawConnection connection = new RawConnection(uri);
        return new Sender() {
            @Override
            public Exchange prepare(byte[] body) {
                byte[] request = RawConnection.post(uri, authorization, body);
                return () -> connection.exchange(request);
            }

            @Override
            public void close() {
                connection.close();
            }
        };
    }

    /** The first client ({@code -Dclient=jdk-httpclient}): {@code java.net.http}, one client per sender. */
    private static Sender httpClientSender(URI uri, String authorization) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        return new Sender() {
            @Override
            public Exchange prepare(byte[] body) {
                return () -> http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json").header("Authorization", authorization)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            }

            @Override
            public void close() {
                // the JDK 17 HttpClient has no close(); its threads end when idle
            }
        };
    }

    /** Runs {@code connections} senders until the time or the request cap is spent, timing each 200. */
    private static Result load(Supplier<Sender> senders, String kind, int size, int connections, int seconds,
            String label) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicLong issued = new AtomicLong();
        String filler = filler(Math.max(0, size - 700));
        ExecutorService clients = Executors.newFixedThreadPool(connections);
        List<Future<long[]>> perClient = new ArrayList<>();
        long started = System.nanoTime();
        long cpuAtStart = processCpuNanos();
        for (int c = 0; c < connections; c++) {
            int client = c;
            perClient.add(clients.submit(() -> {
                long[] latencies = new long[1024];
                int count = 0;
                long failures = 0;
                long bytes = 0;
                try (Sender sender = senders.get()) {
                    while (System.nanoTime() < end && issued.incrementAndGet() <= MAX_REQUESTS_PER_SCENARIO) {
                        byte[] body = payload(kind + "-" + client + "-" + count, filler);
                        Exchange exchange = sender.prepare(body);
                        long t0 = System.nanoTime();
                        int status;
                        try {
                            status = exchange.send();
                        } catch (IOException e) {
                            failures++;
                            continue;
                        }
                        long t = (System.nanoTime() - t0) / 1000;
                        if (status != 200) {
                            failures++;
                            continue;
                        }
                        if (count == latencies.length) {
                            latencies = Arrays.copyOf(latencies, count * 2);
                        }
                        latencies[count++] = t;
                        bytes += body.length;
                    }
                }
                long[] out = Arrays.copyOf(latencies, count + 2);
                out[count] = failures;
                out[count + 1] = bytes;
                return out;
            }));
        }
        return collect(kind, label, started, cpuAtStart, clients, perClient);
    }

    private static Result collect(String kind, String label, long started, long cpuAtStart, ExecutorService clients,
            List<Future<long[]>> perClient) throws Exception {
        List<Long> all = new ArrayList<>();
        long failures = 0;
        long bytes = 0;
        for (Future<long[]> f : perClient) {
            long[] l = f.get();
            for (int i = 0; i < l.length - 2; i++) {
                all.add(l[i]);
            }
            failures += l[l.length - 2];
            bytes += l[l.length - 1];
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        long cpu = cpuAtStart < 0 ? -1 : processCpuNanos() - cpuAtStart;
        clients.shutdownNow();
        all.sort(Comparator.naturalOrder());
        long p50 = all.isEmpty() ? 0 : all.get((int) Math.min(all.size() - 1, Math.round(all.size() * 0.50)));
        long p99 = all.isEmpty() ? 0 : all.get((int) Math.min(all.size() - 1, Math.round(all.size() * 0.99)));
        long max = all.isEmpty() ? 0 : all.get(all.size() - 1);
        return new Result(kind, label == null ? "" : label, all.size(), failures, elapsed, bytes, p50, p99, max, cpu);
    }

    /**
     * One sender's HTTP/1.1 connection over a plain socket: {@code TCP_NODELAY}, the whole request (head and body)
     * handed to the kernel in one write, the answer read up to its {@code Content-Length}; the connection is kept
     * for the next request unless the server said {@code Connection: close}. Every read has a 60 s timeout.
     */
    static final class RawConnection implements AutoCloseable {
        private static final int MAX_HEAD_BYTES = 16 * 1024;

        private final URI uri;
        private @org.jspecify.annotations.Nullable Socket socket;
        private @org.jspecify.annotations.Nullable InputStream in;

        RawConnection(URI uri) {
            this.uri = uri;
        }

        static byte[] post(URI uri, String authorization, byte[] body) {
            byte[] head = ("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nContent-Type: application/json\r\nAuthorization: " + authorization + "\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] request = Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, request, head.length, body.length);
            return request;
        }

        /** Sends one request and reads its answer; @return the status */
        int exchange(byte[] request) throws IOException {
            try {
                if (socket == null) {
                    Socket s = new Socket();
                    s.setTcpNoDelay(true);
                    s.setSoTimeout(60_000);
                    s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
                    socket = s;
                    in = new java.io.BufferedInputStream(s.getInputStream(), 8192);
                }
                socket.getOutputStream().write(request); // one write: head and body leave together
                return readResponse();
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        private int readResponse() throws IOException {
            InputStream input = java.util.Objects.requireNonNull(in);
            StringBuilder head = new StringBuilder();
            int state = 0; // counts the bytes of the CRLF CRLF seen so far
            while (state < 4) {
                int b = input.read();
                if (b < 0) {
                    throw new IOException("the server closed the connection before answering");
                }
                if (head.length() >= MAX_HEAD_BYTES) {
                    throw new IOException("response head over " + MAX_HEAD_BYTES + " bytes");
                }
                head.append((char) b);
                state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                        ? state + 1 : (b == '\r' ? 1 : 0);
            }
            String[] lines = head.toString().split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x answer: " + lines[0]);
            }
            int status = Integer.parseInt(statusLine[1]);
            long length = -1;
            boolean close = statusLine[0].equals("HTTP/1.0");
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = lines[i].substring(0, colon).strip();
                String value = lines[i].substring(colon + 1).strip();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                    close = true;
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    throw new IOException("chunked answers are not expected from the measured servers");
                }
            }
            if (length < 0) {
                close = true;
                input.transferTo(OutputStream.nullOutputStream()); // the body ends with the connection
            } else {
                input.skipNBytes(length);
            }
            if (close) {
                close();
            }
            return status;
        }

        @Override
        public void close() {
            Socket s = socket;
            socket = null;
            in = null;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing left to release
                }
            }
        }
    }

    /**
     * Text as a mail client sends it, as it appears in the JSON payload: lines of 72 characters, each ended by an
     * escaped CRLF, {@code length} bytes of JSON in all. The first version sent one line of {@code length} 'x', a line
     * no client writes (RFC 5322 allows 998 characters): it made the pipeline quoted-printable-encode every body
     * (the only way to store such a line), a cost real text does not have; {@code -Dfiller=one-line} measures that
     * case again.
     */
    static String filler(int length) {
        if ("one-line".equals(System.getProperty("filler"))) {
            return "x".repeat(length);
        }
        String line = "The quick brown fox jumps over the lazy dog while the agents read their mail.".substring(0, 72)
                + "\\r\\n";
        StringBuilder text = new StringBuilder(length + line.length());
        while (text.length() + line.length() <= length) {
            text.append(line);
        }
        return text.append("x".repeat(length - text.length())).toString();
    }

    /** A Mailjet inbound payload with one text part, unique Message-ID, about {@code filler} + 700 bytes. */
    private static byte[] payload(String id, String filler) {
        String json = "{\"Sender\":\"sender@example.net\",\"Recipient\":\"agent@agents.example.org\","
                + "\"Date\":\"20260101T000000\",\"From\":\"Sender <sender@example.net>\",\"Subject\":\"Load " + id + "\","
                + "\"Headers\":{\"Content-Type\":\"text/plain; charset=UTF-8\",\"Date\":\"Thu, 1 Jan 2026 00:00:00 +0000\","
                + "\"From\":\"Sender <sender@example.net>\",\"To\":\"agent@agents.example.org\",\"Subject\":\"Load " + id
                + "\",\"Message-ID\":\"<" + id + "@load.example.net>\"},"
                + "\"Parts\":[{\"Headers\":{\"Content-Type\":\"text/plain; charset=UTF-8\"},\"ContentRef\":\"Text-part\"}],"
                + "\"Text-part\":\"" + filler + "\",\"SpamAssassinScore\":\"0.1\"}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
