package io.azt3knet.mail.inbound.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.inbound.TestJsonParser;
import io.azt3knet.mail.inbound.webhook.InboundWebhookHandler;
import io.azt3knet.mail.inbound.webhook.InboundWebhookServer;
import io.azt3knet.mail.inbox.MessageQuery;
import io.azt3knet.mail.inbox.StoredMessage;
import io.azt3knet.mail.inbox.Subscription;
import java.net.InetAddress;
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
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageListenerTest {

    private static final Secret SECRET = Secret.of("listener-test-secret");
    private static final MailboxAddress ADA = MailboxAddress.parse("ada@agents.example");

    @TempDir
    Path root;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private InboundWebhookServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void startWebhook() {
        server = InboundWebhookServer.builder(InboundWebhookHandler.builder(new TestJsonParser(), MaildirSink.builder(root).perRecipient(true).build()).secret(SECRET).build())
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).path("/inbound").threads(4).start();
    }

    private int deliver(int n) throws Exception {
        String body = TestJsonParser.payload(ADA.value(), "<m" + n + "@example.org>", "Subject " + n, "body " + n);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/inbound"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("mailjet:" + SECRET.reveal()).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** Waits (bounded: 30 s) until the condition holds. */
    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    private static List<String> subjects(List<StoredMessage> messages) {
        List<String> s = new ArrayList<>();
        messages.forEach(m -> s.add(m.summary().subject()));
        return s;
    }

    @Test
    void everyStoredMessageIsDeliveredExactlyOnceAndRedeliveriesNever() throws Exception {
        startWebhook();
        List<StoredMessage> heard = new CopyOnWriteArrayList<>();
        try (MaildirMessageStore store = MaildirMessageStore.builder(root).build();
                Subscription subscription = store.subscribe("orchestrator", heard::add)) {
            for (int i = 0; i < 20; i++) {
                assertThat(deliver(i)).isEqualTo(200);
                assertThat(deliver(i)).as("the provider's redelivery").isEqualTo(200);
            }
            eventually(() -> heard.size() >= 20, "20 messages heard");
            subscription.replay();
            assertThat(subjects(heard)).hasSize(20).doesNotHaveDuplicates();
            assertThat(heard).allSatisfy(m -> assertThat(m.summary().mailbox()).isEqualTo(ADA.value()));
            assertThat(heard.get(0).text()).contains("body 0");
        }
        // a restart with the same name: the cursor says everything was delivered
        List<StoredMessage> afterRestart = new CopyOnWriteArrayList<>();
        try (MaildirMessageStore store = MaildirMessageStore.builder(root).build();
                Subscription subscription = store.subscribe("orchestrator", afterRestart::add)) {
            subscription.replay();
            assertThat(deliver(99)).isEqualTo(200);
            eventually(() -> afterRestart.size() >= 1, "the new message heard");
            subscription.replay();
            assertThat(subjects(afterRestart)).containsExactly("Subject 99");
        }
        // a new name starts from the beginning
        List<StoredMessage> newcomer = new CopyOnWriteArrayList<>();
        try (MaildirMessageStore store = MaildirMessageStore.builder(root).build();
                Subscription subscription = store.subscribe("audit", newcomer::add)) {
            subscription.replay();
            assertThat(newcomer).hasSize(21);
        }
    }

    @Test
    void aListenerThatThrowsLeavesTheWebhookAnswerAloneAndGetsTheMessageAgainOnReplay() throws Exception {
        startWebhook();
        AtomicBoolean failNext = new AtomicBoolean(true);
        List<String> attempts = new CopyOnWriteArrayList<>();
        List<String> handled = new CopyOnWriteArrayList<>();
        try (MaildirMessageStore store = MaildirMessageStore.builder(root).build();
                Subscription subscription = store.subscribe("flaky", m -> {
                    attempts.add(m.summary().subject());
                    if (failNext.getAndSet(false)) {
                        throw new IllegalStateException("the application is down");
                    }
                    handled.add(m.summary().subject());
                })) {
            assertThat(deliver(1)).as("the message is safe: the answer is 200").isEqualTo(200);
            eventually(() -> attempts.size() >= 1, "first attempt");
            assertThat(handled).isEmpty();
            assertThat(store.list(ADA, MessageQuery.all())).hasSize(1);
            subscription.replay();
            assertThat(handled).containsExactly("Subject 1");
            subscription.replay();
            assertThat(handled).containsExactly("Subject 1");
            assertThat(attempts).containsExactly("Subject 1", "Subject 1");
        }
    }

    @Test
    void oneSubscriptionPerNameAndNamesThatCannotBeFileNamesAreRefused() {
        try (MaildirMessageStore store = MaildirMessageStore.builder(root).build();
                Subscription ignored = store.subscribe("one", m -> { })) {
            assertThatThrownBy(() -> store.subscribe("one", m -> { })).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> store.subscribe("../escape", m -> { })).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.subscribe(".hidden", m -> { })).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aListenerKilledMidWayCatchesUpAfterARestartFromItsPersistedCursor() throws Exception {
        MaildirSink sink = MaildirSink.builder(root).perRecipient(true).build();
        for (int i = 0; i < 10; i++) {
            MaildirMessageStoreTest.store(sink, MaildirMessageStoreTest.mail(ADA, "<k" + i + "@example.org>",
                    "x@example.org", String.format("kill %02d", i)));
        }
        Path log = root.resolve("heard.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ListenerCrashMain.class.getName(), root.toString(), log.toString(), "4")
                .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("the child halted inside its listener").isEqualTo(ListenerCrashMain.HALTED);
        } finally {
            child.destroyForcibly();
        }
        List<String> beforeCrash = Files.readAllLines(log);
        // three were handled and recorded; the fourth was being handled when the process died
        assertThat(beforeCrash).containsExactly("kill 00", "kill 01", "kill 02", "kill 03");

        List<String> afterRestart = Collections.synchronizedList(new ArrayList<>());
        try (MaildirMessageStore store = MaildirMessageStore.builder(root).build();
                Subscription subscription = store.subscribe(ListenerCrashMain.NAME,
                        m -> afterRestart.add(m.summary().subject()))) {
            subscription.replay();
        }
        assertThat(afterRestart).as("at least once: the one in hand again, then the rest, none of the recorded ones")
                .containsExactly("kill 03", "kill 04", "kill 05", "kill 06", "kill 07", "kill 08", "kill 09");
    }
}
