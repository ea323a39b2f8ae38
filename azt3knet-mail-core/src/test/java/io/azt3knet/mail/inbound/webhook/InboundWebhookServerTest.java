package io.azt3knet.mail.inbound.webhook;

import io.azt3knet.mail.inbound.TestJsonParser;
import io.azt3knet.mail.inbound.InboundSink;
import io.azt3knet.mail.inbound.maildir.MaildirSink;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.Secret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletionService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InboundWebhookServerTest {

    private static final String PATH = "/mailjet/inbound";
    private static final Secret SECRET = Secret.of("s3cr3t-0123456789abcdef");

    @TempDir
    Path maildir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final List<DeliveryEvent> events = new CopyOnWriteArrayList<>();
    private InboundWebhookServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private InboundWebhookServer start(InboundSink sink, UnaryOperator<InboundWebhookHandler.Builder> handler) {
        return start(sink, handler, s -> { });
    }

    private InboundWebhookServer start(InboundSink sink, UnaryOperator<InboundWebhookHandler.Builder> handler,
            Consumer<InboundWebhookServer.Builder> options) {
        InboundWebhookServer.Builder b = InboundWebhookServer.builder(handler
                        .apply(InboundWebhookHandler.builder(new TestJsonParser(), sink)).listener(events::add).build())
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).path(PATH).threads(4)
                .shutdownTimeout(Duration.ofSeconds(20));
        options.accept(b);
        server = b.start();
        return server;
    }

    /** Sends the request line, the headers and the start of a body that is announced as 1000 bytes. */
    private Socket startSlowUpload() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(30_000); // only so that a broken server cannot hang the build
        String head = "POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: " + basic("mailjet", SECRET.reveal()) + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"Recipient\":";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** @return the status line the server answered, or empty if it closed the connection without one */
    private static Optional<String> statusLine(Socket socket) {
        try {
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Optional.ofNullable(line);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither answered nor closed the stalled connection", e);
        } catch (IOException e) {
            return Optional.empty(); // reset by the server
        }
    }

    private InboundWebhookServer startWithSecret() {
        return start(MaildirSink.builder(maildir).build(), h -> h.secret(SECRET));
    }

    private URI uri(String query) {
        return URI.create("http://127.0.0.1:" + server.port() + PATH + (query.isEmpty() ? "" : "?" + query));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(URI uri, String authorization, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (!authorization.isEmpty()) {
            r.header("Authorization", authorization);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> deliver(String body) throws Exception {
        return post(uri(""), basic("mailjet", SECRET.reveal()), body);
    }

    private List<Path> stored() throws IOException {
        try (Stream<Path> files = Files.list(maildir.resolve("new"))) {
            return files.toList();
        }
    }

    private List<Path> temporary() throws IOException {
        try (Stream<Path> files = Files.list(maildir.resolve("tmp"))) {
            return files.toList();
        }
    }

    private static String message(int n) {
        return TestJsonParser.payload("agent@agents.example", "<m" + n + "@example.org>", "Subject " + n, "body " + n);
    }

    @Test
    void storesAMessageDeliveredWithBasicCredentialsWhosePasswordIsTheSecret() throws Exception {
        startWithSecret();

        HttpResponse<String> r = deliver(message(1));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(stored()).hasSize(1);
        String file = Files.readString(stored().get(0), StandardCharsets.US_ASCII);
        assertThat(file).contains("Message-ID: <m1@example.org>", "Subject: Subject 1", "Delivered-To: agent@agents.example");
        assertThat(temporary()).isEmpty();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(DeliveryEvent.Outcome.STORED);
            assertThat(e.recipient()).contains("agent@agents.example");
            assertThat(e.subject()).contains("Subject 1");
            assertThat(e.bodyBytes()).isEqualTo(message(1).length());
        });
    }

    @Test
    void acceptsAnyBasicUserNameAndTheTokenQueryParameter() throws Exception {
        startWithSecret();

        assertThat(post(uri(""), basic("anyone", SECRET.reveal()), message(1)).statusCode()).isEqualTo(200);
        String token = java.net.URLEncoder.encode(SECRET.reveal(), StandardCharsets.UTF_8);
        assertThat(post(uri("token=" + token), "", message(2)).statusCode()).isEqualTo(200);
        assertThat(stored()).hasSize(2);
    }

    @Test
    void refusesWrongOrMissingCredentialsWith401AndNoHintWhichPartWasWrong() throws Exception {
        startWithSecret();

        List<HttpResponse<String>> responses = List.of(
                post(uri(""), basic("mailjet", "wrong"), message(1)),
                post(uri(""), basic("mailjet", SECRET.reveal() + "x"), message(1)),
                post(uri(""), "Basic !!!not-base64", message(1)),
                post(uri(""), "Bearer " + SECRET.reveal(), message(1)),
                post(uri("token=wrong"), "", message(1)),
                post(uri(""), "", message(1)));

        assertThat(responses).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).isEqualTo("unauthorized\n");
        });
        assertThat(stored()).isEmpty();
    }

    @Test
    void acceptsEveryCallerOnlyWhenUnauthenticatedAccessWasAskedForExplicitly() throws Exception {
        start(MaildirSink.builder(maildir).build(), h -> h.allowUnauthenticated());

        assertThat(post(uri(""), "", message(1)).statusCode()).isEqualTo(200);
        assertThat(stored()).hasSize(1);
    }

    @Test
    void answers405ToAnythingButPostAnd404ElsewhereAfterAuthentication() throws Exception {
        startWithSecret();

        HttpResponse<String> get = client.send(HttpRequest.newBuilder(uri(""))
                .header("Authorization", basic("mailjet", SECRET.reveal())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> elsewhere = post(URI.create("http://127.0.0.1:" + server.port() + "/other"),
                basic("mailjet", SECRET.reveal()), message(1));

        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).contains("POST");
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(stored()).isEmpty();
    }

    @Test
    void refusesADeclaredContentLengthOverTheLimitWith413() throws Exception {
        start(MaildirSink.builder(maildir).build(), h -> h.secret(SECRET).maxBodyBytes(1024));

        HttpResponse<String> r = deliver(TestJsonParser.payload("agent@agents.example", "<big@x>", "big", "x".repeat(4096)));

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(events).singleElement().satisfies(e -> assertThat(e.bodyBytes()).isZero());
        assertThat(stored()).isEmpty();
    }

    @Test
    void refusesAChunkedBodyOverTheLimitWith413WhileStreamingIt() throws Exception {
        start(MaildirSink.builder(maildir).build(), h -> h.secret(SECRET).maxBodyBytes(1024));
        byte[] big = TestJsonParser.payload("agent@agents.example", "<big@x>", "big", "x".repeat(4096))
                .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(""))
                .header("Authorization", basic("mailjet", SECRET.reveal()))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(events).singleElement().satisfies(e -> assertThat(e.bodyBytes()).isEqualTo(1025));
        assertThat(stored()).isEmpty();
    }

    @Test
    void refusesBodiesThatAreNotJsonOrHaveWrongTypesWith400() throws Exception {
        startWithSecret();

        assertThat(deliver("this is not json").statusCode()).isEqualTo(400);
        assertThat(deliver("{\"Recipient\": 42}").statusCode()).isEqualTo(400);
        assertThat(deliver("[1,2,3]").statusCode()).isEqualTo(400);
        assertThat(deliver("").statusCode()).isEqualTo(400);
        assertThat(stored()).isEmpty();
        assertThat(events).allSatisfy(e -> assertThat(e.outcome()).isEqualTo(DeliveryEvent.Outcome.REJECTED));
    }

    @Test
    void acknowledgesARedeliveryWithoutStoringItTwiceAlsoAfterARestart() throws Exception {
        startWithSecret();
        assertThat(deliver(message(1)).statusCode()).isEqualTo(200);
        assertThat(deliver(message(1)).body()).startsWith("duplicate");

        server.close();
        startWithSecret(); // a new sink on the same Maildir, as after a restart
        HttpResponse<String> again = deliver(message(1));

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).startsWith("duplicate");
        assertThat(stored()).hasSize(1);
        assertThat(deliver(message(2)).body()).startsWith("stored");
        assertThat(stored()).hasSize(2);
    }

    @Test
    void recognisesTheSameMessageIdForTheSameRecipientOnlyAndHashesMessagesWithoutOne() throws Exception {
        startWithSecret();

        deliver(TestJsonParser.payload("agent@agents.example", "<same@x>", "s", "one"));
        deliver(TestJsonParser.payload("AGENT@agents.example", "<same@x>", "s", "one"));
        deliver(TestJsonParser.payload("other@agents.example", "<same@x>", "s", "one"));
        deliver(TestJsonParser.payload("agent@agents.example", "", "no id", "a"));
        deliver(TestJsonParser.payload("agent@agents.example", "", "no id", "a"));
        deliver(TestJsonParser.payload("agent@agents.example", "", "no id", "b"));

        assertThat(events).extracting(DeliveryEvent::outcome).containsExactly(
                DeliveryEvent.Outcome.STORED, DeliveryEvent.Outcome.DUPLICATE, DeliveryEvent.Outcome.STORED,
                DeliveryEvent.Outcome.STORED, DeliveryEvent.Outcome.DUPLICATE, DeliveryEvent.Outcome.STORED);
        assertThat(stored()).hasSize(4);
    }

    @Test
    void storesADifferentMessageThatReusesAMessageIdInsteadOfDiscardingIt() throws Exception {
        startWithSecret();

        deliver(TestJsonParser.payload("agent@agents.example", "<same@x>", "s", "one"));
        HttpResponse<String> other = deliver(TestJsonParser.payload("agent@agents.example", "<same@x>", "s", "two"));
        HttpResponse<String> redelivery = deliver(TestJsonParser.payload("agent@agents.example", "<same@x>", "s", "two"));

        assertThat(other.body()).startsWith("stored");
        assertThat(redelivery.body()).startsWith("duplicate");
        assertThat(stored()).hasSize(2);
    }

    @Test
    void answers500AndStoresNothingWhenTheSinkFailsThenStoresTheRetry() throws Exception {
        MaildirSink failing = MaildirSink.builder(maildir).build((stage, tmp) -> {
            if (stage == MaildirSink.Stage.BEFORE_PUBLISH) {
                throw new IOException("disk full (simulated)");
            }
        });
        start(failing, h -> h.secret(SECRET));

        HttpResponse<String> r = deliver(message(1));

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).doesNotContain("disk full");
        assertThat(stored()).isEmpty();
        assertThat(temporary()).isEmpty();
        assertThat(events).singleElement().extracting(DeliveryEvent::outcome).isEqualTo(DeliveryEvent.Outcome.FAILED);

        server.close();
        startWithSecret();
        assertThat(deliver(message(1)).body()).startsWith("stored");
        assertThat(stored()).hasSize(1);
    }

    @Test
    void storesEachOfManyConcurrentDeliveriesExactlyOnce() throws Exception {
        startWithSecret();
        int distinct = 50;
        int requests = 200; // every message four times, interleaved
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                String body = message(i % distinct);
                statuses.add(pool.submit(() -> deliver(body).statusCode()));
            }
            for (Future<Integer> s : statuses) {
                assertThat(s.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(stored()).hasSize(distinct);
        assertThat(events).filteredOn(e -> e.outcome() == DeliveryEvent.Outcome.STORED).hasSize(distinct);
        assertThat(events).filteredOn(e -> e.outcome() == DeliveryEvent.Outcome.DUPLICATE).hasSize(requests - distinct);
        assertThat(Files.readAllLines(maildir.resolve(MaildirSink.INDEX_DIRECTORY).resolve("delivered.log")))
                .as("one delivery-log line per stored message").hasSize(distinct);
    }

    @Test
    void finishesACallInFlightBeforeStoppingAndRefusesNewOnesMeanwhile() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        MaildirSink maildirSink = MaildirSink.builder(maildir).build();
        InboundSink slowForTheFirst = (message, key) -> {
            if (message.subject().equals("Subject 1")) { // only the call in flight waits
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return maildirSink.accept(message, key);
        };
        start(slowForTheFirst, h -> h.secret(SECRET));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<HttpResponse<String>> inFlight = pool.submit(() -> deliver(message(1)));
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            Future<?> closing = pool.submit(server::close);
            assertThat(server.awaitStopping(30, TimeUnit.SECONDS)).isTrue();

            HttpResponse<String> late = deliver(message(2));

            assertThat(late.statusCode()).isEqualTo(503);
            assertThat(late.headers().firstValue("Retry-After")).isPresent();
            assertThat(closing.isDone()).as("close() waits for the call in flight").isFalse();
            release.countDown();
            assertThat(inFlight.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            closing.get(30, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertThat(stored()).hasSize(1);
    }

    @Test
    void givesUpOnABodyThatStopsArrivingAndServesTheNextCallerWithTheSameWorker() throws Exception {
        start(MaildirSink.builder(maildir).build(), h -> h.secret(SECRET),
                b -> b.threads(1).bodyReadTimeout(Duration.ofMillis(300)));

        try (Socket stalled = startSlowUpload()) { // and then nothing more
            assertThat(statusLine(stalled)).satisfiesAnyOf(
                    line -> assertThat(line).isEmpty(),
                    line -> assertThat(line).hasValueSatisfying(l -> assertThat(l).startsWith("HTTP/1.1 408")));
        }

        assertThat(deliver(message(1)).statusCode()).isEqualTo(200);
        assertThat(events).first().satisfies(e -> {
            assertThat(e.status()).isEqualTo(408);
            assertThat(e.outcome()).isEqualTo(DeliveryEvent.Outcome.REJECTED);
        });
        assertThat(stored()).hasSize(1);
    }

    @Test
    void givesUpOnABodyTricklingInSlowerThanTheTotalDeadlineAllows() throws Exception {
        start(MaildirSink.builder(maildir).build(), h -> h.secret(SECRET),
                b -> b.threads(1).bodyReadTimeout(Duration.ofMillis(300)));

        try (Socket trickling = startSlowUpload()) {
            OutputStream out = trickling.getOutputStream();
            boolean cutOff = false;
            for (int i = 0; i < 500 && !cutOff; i++) { // 1000 bytes at one per 20 ms would take 20 s
                try {
                    out.write(' ');
                    out.flush();
                    cutOff = trickling.getInputStream().available() > 0;
                    Thread.sleep(20);
                } catch (IOException closedByTheServer) {
                    cutOff = true;
                }
            }
            assertThat(cutOff).as("the server stopped waiting for the body").isTrue();
            assertThat(statusLine(trickling)).satisfiesAnyOf(
                    line -> assertThat(line).isEmpty(),
                    line -> assertThat(line).hasValueSatisfying(l -> assertThat(l).startsWith("HTTP/1.1 408")));
        }

        assertThat(deliver(message(1)).statusCode()).isEqualTo(200);
        assertThat(events).first().extracting(DeliveryEvent::status).isEqualTo(408);
    }

    @Test
    void answers503WithRetryAfterWhenEveryWorkerIsBusyAndTheQueueIsFull() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        MaildirSink maildirSink = MaildirSink.builder(maildir).build();
        InboundSink slowForTheFirst = (message, key) -> {
            if (message.subject().equals("Subject 1")) {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return maildirSink.accept(message, key);
        };
        start(slowForTheFirst, h -> h.secret(SECRET), b -> b.threads(1).queue(1));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<HttpResponse<String>> busy = pool.submit(() -> deliver(message(1)));
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            CompletionService<HttpResponse<String>> more = new ExecutorCompletionService<>(pool);
            more.submit(() -> deliver(message(2)));
            more.submit(() -> deliver(message(3)));

            // one waits in the queue behind the busy worker; the other is turned away at once
            HttpResponse<String> turnedAway = more.take().get();
            assertThat(turnedAway.statusCode()).isEqualTo(503);
            assertThat(turnedAway.headers().firstValue("Retry-After")).isPresent();
            release.countDown();
            assertThat(busy.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(more.take().get().statusCode()).isEqualTo(200);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertThat(stored()).hasSize(2);
    }

    @Test
    void servesEveryQueuedCallWithNeverMoreAtOnceThanItsThreads() throws Exception {
        MaildirSink maildirSink = MaildirSink.builder(maildir).build();
        java.util.concurrent.atomic.AtomicInteger serving = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger mostAtOnce = new java.util.concurrent.atomic.AtomicInteger();
        InboundSink slow = (message, key) -> {
            mostAtOnce.accumulateAndGet(serving.incrementAndGet(), Math::max);
            try {
                Thread.sleep(5); // long enough that the calls pile up behind the two permits
                return maildirSink.accept(message, key);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } finally {
                serving.decrementAndGet();
            }
        };
        start(slow, h -> h.secret(SECRET), b -> b.threads(2).queue(64).maxConnectionsPerClient(64));
        int calls = 40;
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int n = 1; n <= calls; n++) {
                int number = n;
                answers.add(pool.submit(() -> deliver(message(number))));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                // a call left in the queue while a permit was free would hang here until the bound
                assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(stored()).hasSize(calls);
        assertThat(mostAtOnce.get()).as("calls served at once").isEqualTo(2);
    }

    @Test
    void checksDeadlinesOnATickOfATenthOfTheShorterTimeoutBetween10MillisecondsAndOneSecond() {
        assertThat(InboundWebhookServer.deadlineTick(Duration.ofMillis(300), Duration.ofSeconds(60)))
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        assertThat(InboundWebhookServer.deadlineTick(Duration.ofSeconds(20), Duration.ofMillis(500)))
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(InboundWebhookServer.deadlineTick(Duration.ofSeconds(20), Duration.ofSeconds(60)))
                .as("the defaults").isEqualTo(TimeUnit.SECONDS.toNanos(1));
        assertThat(InboundWebhookServer.deadlineTick(Duration.ofMillis(20), Duration.ofMillis(20)))
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(10));
    }

    /** Opens a connection from another loopback address and sends half a request head, then nothing. */
    private Socket partialHeadFrom(InetAddress client) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port(), client, 0);
        socket.setSoTimeout(30_000); // only so that a broken server cannot hang the build
        socket.getOutputStream().write(("POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    private static boolean closedByServer(Socket socket) {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void fortyConnectionsHoldingPartialHeadersDoNotDelayAValidDelivery() throws Exception {
        start(MaildirSink.builder(maildir).build(), h -> h.secret(SECRET),
                b -> b.threads(4).maxConnectionsPerClient(100));
        InetAddress slowClient = InetAddress.getByName("127.0.0.2");
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                slow.add(partialHeadFrom(slowClient));
            }
            long started = System.nanoTime();
            HttpResponse<String> valid = deliver(message(1));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertThat(valid.statusCode()).isEqualTo(200);
            // generous: the JDK server made this wait for the slow clients (over 8 s); a delivery takes milliseconds
            assertThat(tookMillis).as("a valid delivery behind 40 stalled heads").isLessThan(5_000);
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
        assertThat(stored()).hasSize(1);
    }

    @Test
    void closesAConnectionWhoseRequestHeadIsNotCompleteWithinTheHeaderDeadline() throws Exception {
        start(MaildirSink.builder(maildir).build(), h -> h.secret(SECRET),
                b -> b.headerTimeout(Duration.ofMillis(300)));

        try (Socket stalled = partialHeadFrom(InetAddress.getByName("127.0.0.2"))) {
            assertThat(closedByServer(stalled)).as("closed by the header deadline, not by our 30 s guard").isTrue();
        }
        assertThat(deliver(message(1)).statusCode()).isEqualTo(200);
    }

    @Test
    void keepsAConnectionAliveAcrossDeliveriesAndGivesEachRequestHeadItsOwnDeadline() throws Exception {
        start(MaildirSink.builder(maildir).build(), h -> h.secret(SECRET),
                b -> b.headerTimeout(Duration.ofMillis(500)));

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(30_000); // only so that a broken server cannot hang the build
            InputStream in = socket.getInputStream();
            for (int n = 1; n <= 3; n++) {
                byte[] body = message(n).getBytes(StandardCharsets.UTF_8);
                socket.getOutputStream().write(("POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: " + basic("mailjet", SECRET.reveal()) + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().write(body);
                socket.getOutputStream().flush();
                assertThat(readResponseHead(in)).as("answer %d on the same connection", n).startsWith("HTTP/1.1 200")
                        .doesNotContainIgnoringCase("connection: close");
                Thread.sleep(300); // idle between deliveries, for less than the header deadline
            }
            assertThat(stored()).hasSize(3);
            socket.getOutputStream().write(("POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThat(closedByServer(socket)).as("the fourth head is held to its own deadline").isTrue();
        }
    }

    /** Reads an answer's status line, headers and {@code Content-Length} body; returns the head. */
    private static String readResponseHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new java.io.EOFException("the server closed the connection after: " + head);
            }
            head.append((char) c);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        if (length.find()) {
            in.readNBytes(Integer.parseInt(length.group(1)));
        }
        return head.toString();
    }

    @Test
    void capsTheConnectionsOneClientAddressMayHoldWithoutAffectingOthers() throws Exception {
        // a header deadline far beyond the test: a connection closed here was closed by the limit
        start(MaildirSink.builder(maildir).build(), h -> h.secret(SECRET),
                b -> b.maxConnectionsPerClient(3).headerTimeout(Duration.ofSeconds(120)));
        InetAddress greedy = InetAddress.getByName("127.0.0.3");
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                held.add(partialHeadFrom(greedy));
            }
            // which of the four is turned away depends on the order the server registers them in, not on the order
            // of connect(): exactly one is closed, at once, and the other three stay open
            List<Socket> closed = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (closed.isEmpty() && System.nanoTime() < end) {
                for (Socket socket : held) {
                    if (!closed.contains(socket) && closedByServerWithin(socket, 50)) {
                        closed.add(socket);
                    }
                }
            }
            assertThat(closed).as("connections of one address closed by the limit of 3").hasSize(1);
            for (Socket socket : held) {
                if (!closed.contains(socket)) {
                    assertThat(closedByServerWithin(socket, 200)).as("one of the three allowed").isFalse();
                }
            }
            assertThat(deliver(message(1)).statusCode()).as("another address").isEqualTo(200);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /** Whether the server closed the connection (end of stream or reset) within the time; reads nothing else. */
    private static boolean closedByServerWithin(Socket socket, int millis) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            return closedByServer(socket);
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(before);
            }
        }
    }

    @Test
    void listensOnTheLoopbackInterfaceUnlessToldOtherwise() {
        InboundWebhookServer.Builder b = InboundWebhookServer.builder(InboundWebhookHandler
                .builder(new TestJsonParser(), MaildirSink.builder(maildir).build()).secret(SECRET).build())
                .port(0);
        server = b.start();

        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    }
}
