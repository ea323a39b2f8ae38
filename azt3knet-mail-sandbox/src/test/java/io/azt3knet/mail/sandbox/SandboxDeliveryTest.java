package io.azt3knet.mail.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.azt3knet.mail.MailSendException;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.MailboxRequest;
import io.azt3knet.mail.send.MailService;
import io.azt3knet.mail.send.OutgoingMessage;
import io.azt3knet.mail.send.SmtpSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SMTP server's promise to the sender, against a webhook the test controls (a JDK HTTP server on loopback in
 * place of the sandbox's own): {@code DATA} is answered 250 only after every local recipient's webhook call answered
 * 2xx; a failing call is retried, and when it keeps failing the sender gets a 451 so that it retries; nothing is
 * acknowledged that was not stored.
 */
class SandboxDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOMAIN = Sandbox.DEFAULT_DOMAIN;
    private static final int ATTEMPTS = 3;

    @TempDir
    Path dir;

    private HttpServer webhook;
    private volatile Function<String, Integer> answer = recipient -> 200;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<Duration> backoffs = new CopyOnWriteArrayList<>();
    private SandboxSmtpServer smtp;
    private SandboxTls tls;
    private MailboxCredentials ada;
    private MailboxCredentials bob;
    private MailboxCredentials cid;

    @BeforeEach
    void start() throws Exception {
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/inbound", exchange -> {
            String recipient = JSON.readTree(exchange.getRequestBody().readAllBytes()).path("Recipient").asText();
            calls.add(recipient);
            int status = answer.apply(recipient);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        webhook.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        webhook.start();
        tls = SandboxTls.loadOrCreate(dir);
        SandboxMailboxProvisioner mailboxes = SandboxMailboxProvisioner.builder(dir).build();
        ada = mailboxes.createMailbox(MailboxRequest.of(new MailboxAddress("ada", DOMAIN))).credentials();
        bob = mailboxes.createMailbox(MailboxRequest.of(new MailboxAddress("bob", DOMAIN))).credentials();
        cid = mailboxes.createMailbox(MailboxRequest.of(new MailboxAddress("cid", DOMAIN))).credentials();
        WebhookDelivery delivery = new WebhookDelivery(
                URI.create("http://127.0.0.1:" + webhook.getAddress().getPort() + "/inbound"), Secret.of("a-secret-of-16-chars"),
                ATTEMPTS, Duration.ofMillis(25), nanos -> backoffs.add(Duration.ofNanos(nanos)));
        smtp = new SandboxSmtpServer(0, DOMAIN, mailboxes, tls, delivery, ChaosSettings.none(), dir.resolve("outbox"));
    }

    @AfterEach
    void stop() {
        smtp.close();
        webhook.stop(0);
    }

    private MailService asAda() {
        return MailService.builder().settings(SmtpSettings.of("localhost", smtp.port())).sender(ada.address(), "Ada")
                .login(ada.smtpUsername(), ada.smtpPassword()).trustStore(tls.trustStore()).build();
    }

    private String send(String... to) {
        OutgoingMessage.Builder message = OutgoingMessage.builder().subject("hello").text("hello");
        for (String t : to) {
            message.to(t);
        }
        try (MailService mail = asAda()) {
            return mail.send(message.build());
        }
    }

    @Test
    void dataIsAnswered250OnlyAfterEveryLocalRecipientsWebhookCallAnswered2xx() throws Exception {
        CountDownLatch cidArrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        answer = recipient -> {
            if (recipient.equals(cid.address().value())) {
                cidArrived.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return 200;
        };

        CompletableFuture<String> sent = CompletableFuture.supplyAsync(() -> send(bob.address().value(),
                cid.address().value()));
        assertThat(cidArrived.await(60, TimeUnit.SECONDS)).as("the webhook call for cid").isTrue();
        // bob's call answered 200, cid's is held: the sender must still be waiting for its answer to DATA
        Thread.sleep(500);
        assertThat(sent).as("the sender's answer while cid's webhook call is unanswered").isNotDone();
        assertThat(smtp.accepted()).isZero();

        release.countDown();

        assertThat(sent.get(60, TimeUnit.SECONDS)).startsWith("<");
        assertThat(calls).containsExactly(bob.address().value(), cid.address().value());
        assertThat(smtp.accepted()).isEqualTo(1);
    }

    @Test
    void aFailingWebhookCallIsRetriedAndTheMessageAcceptedOnceItAnswers2xx() {
        answer = recipient -> calls.size() < ATTEMPTS ? 503 : 200;

        send(bob.address().value());

        assertThat(calls).hasSize(ATTEMPTS).containsOnly(bob.address().value());
        assertThat(backoffs).containsExactly(Duration.ofMillis(25), Duration.ofMillis(50));
        assertThat(smtp.accepted()).isEqualTo(1);
    }

    @Test
    void aWebhookThatKeepsFailingGivesTheSenderA451SoThatItRetriesAndNothingIsAccepted() {
        answer = recipient -> 500;

        assertThatThrownBy(() -> send(bob.address().value()))
                .isInstanceOf(MailSendException.class).hasMessageContaining("451");

        assertThat(calls).hasSize(ATTEMPTS);
        assertThat(smtp.accepted()).isZero();
    }

    @Test
    void aWebhookThatRefusesWith4xxIsNotRetriedAndTheSenderGetsA451() {
        answer = recipient -> 400;

        assertThatThrownBy(() -> send(bob.address().value()))
                .isInstanceOf(MailSendException.class).hasMessageContaining("451");

        assertThat(calls).hasSize(1);
        assertThat(backoffs).isEmpty();
    }

    @Test
    void aLaterRecipientsFailureWithholdsThe250AlthoughAnEarlierOneWasStored() {
        answer = recipient -> recipient.equals(cid.address().value()) ? 500 : 200;

        assertThatThrownBy(() -> send(bob.address().value(), cid.address().value()))
                .isInstanceOf(MailSendException.class).hasMessageContaining("451");

        assertThat(calls).containsExactly(bob.address().value(), cid.address().value(), cid.address().value(),
                cid.address().value());
        assertThat(smtp.accepted()).isZero();
    }
}
