package io.azt3knet.mail.inbound.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.Secret;
import io.azt3knet.mail.inbound.InboundMessage;
import io.azt3knet.mail.inbound.InboundSink;
import io.azt3knet.mail.inbound.TestJsonParser;
import io.azt3knet.mail.inbound.DeliveryKey;
import io.azt3knet.mail.inbound.maildir.MaildirSink;
import io.azt3knet.mail.inbox.MessageListener;
import io.azt3knet.mail.inbox.StoredMessage;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listeners registered on the webhook server's builder, over real loopback HTTP: told once per stored message,
 * never for a redelivery, not in the way of the answer, and caught up from a persisted cursor.
 */
class WebhookMessageListenerTest {

    private static final String PATH = "/mailjet/inbound";
    private static final Secret SECRET = Secret.of("s3cr3t-0123456789abcdef");
    private static final String AGENT = "agent@agents.example";

    @TempDir
    Path root;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final List<InboundWebhookServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(InboundWebhookServer::close);
    }

    private InboundWebhookServer start(String name, MessageListener listener) {
        InboundWebhookServer server = InboundWebhookServer.builder(InboundWebhookHandler.builder(new TestJsonParser(),
                        MaildirSink.builder(root).build()).secret(SECRET).build())
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).path(PATH).threads(4)
                .messageListener(name, listener)
                .start();
        servers.add(server);
        return server;
    }

    private HttpResponse<String> deliver(InboundWebhookServer server, int n) throws Exception {
        String body = TestJsonParser.payload(AGENT, "<m" + n + "@example.org>", "Subject " + n, "body " + n);
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + PATH))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("mailjet:" + SECRET.reveal()).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    private static List<String> messageIds(List<StoredMessage> messages) {
        return messages.stream().map(m -> m.summary().messageId().orElse("?")).toList();
    }

    @Test
    void aListenerOnTheBuilderHearsOfEachStoredMessageOnceAndNotOfARedelivery() throws Exception {
        List<StoredMessage> heard = new CopyOnWriteArrayList<>();
        InboundWebhookServer server = start("orchestrator", heard::add);

        assertThat(deliver(server, 1).statusCode()).isEqualTo(200);
        assertThat(deliver(server, 2).statusCode()).isEqualTo(200);
        HttpResponse<String> again = deliver(server, 1); // the provider delivers message 1 again
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("duplicate");
        assertThat(deliver(server, 3).statusCode()).isEqualTo(200);

        // in delivery order: had the redelivery reached the listener, it would sit before message 3
        await(() -> heard.size() >= 3, "three messages heard");
        server.subscription("orchestrator").replay(); // a catch-up finds nothing more to deliver
        assertThat(messageIds(heard)).containsExactly("<m1@example.org>", "<m2@example.org>", "<m3@example.org>");
        assertThat(heard).allSatisfy(m -> assertThat(m.summary().mailbox()).isEqualTo(AGENT));
    }

    @Test
    void aThrowingListenerDoesNotFailTheAnswerAndCatchesUpOnReplay() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<StoredMessage> handled = new CopyOnWriteArrayList<>();
        InboundWebhookServer server = start("flaky", message -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("the application is down");
            }
            handled.add(message);
        });

        HttpResponse<String> answer = deliver(server, 1);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).startsWith("stored");
        await(() -> calls.get() >= 1, "the listener was called");

        server.subscription("flaky").replay();

        assertThat(messageIds(handled)).containsExactly("<m1@example.org>");
        assertThat(calls.get()).isEqualTo(2); // once thrown on, once handled: never twice handled
        server.subscription("flaky").replay();
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void theCursorSurvivesARestartOfTheServer() throws Exception {
        List<StoredMessage> first = new CopyOnWriteArrayList<>();
        InboundWebhookServer server = start("orchestrator", first::add);
        deliver(server, 1);
        deliver(server, 2);
        await(() -> first.size() == 2, "two messages heard");
        server.close();

        InboundWebhookServer down = start("other", m -> { });
        deliver(down, 3); // stored while the orchestrator's listener was not running
        down.close();

        List<StoredMessage> second = new CopyOnWriteArrayList<>();
        InboundWebhookServer again = start("orchestrator", second::add);
        deliver(again, 4);
        await(() -> second.size() >= 2, "the missed and the new message heard");
        again.subscription("orchestrator").replay();
        assertThat(messageIds(second)).containsExactly("<m3@example.org>", "<m4@example.org>");
    }

    @Test
    void listenersNeedAStoreToReadFrom() {
        InboundSink notAMaildir = new InboundSink() {
            @Override
            public Result accept(InboundMessage message, DeliveryKey key) {
                return Result.STORED;
            }
        };
        InboundWebhookServer.Builder b = InboundWebhookServer.builder(InboundWebhookHandler.builder(new TestJsonParser(), notAMaildir)
                        .secret(SECRET).build())
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).messageListener("app", m -> { });
        assertThatThrownBy(b::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("messageStore");
        assertThatThrownBy(() -> b.messageListener("app", m -> { })).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnknownListenerNameIsRefused() {
        InboundWebhookServer server = start("known", m -> { });
        assertThatThrownBy(() -> server.subscription("unknown")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown");
    }
}
