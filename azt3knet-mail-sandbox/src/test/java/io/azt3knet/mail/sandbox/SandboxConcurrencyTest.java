package io.azt3knet.mail.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.MailSendException;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.MailboxRequest;
import io.azt3knet.mail.send.MailService;
import io.azt3knet.mail.send.OutgoingMessage;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 10 agents exchange 100 messages at once; each arrives exactly once, in the right Maildir, byte for byte. */
class SandboxConcurrencyTest {

    private static final int AGENTS = 10;
    private static final int MESSAGES = 100;
    private static final int SENDERS = 8;

    @TempDir
    Path dir;

    @Test
    void everyMessageArrivesExactlyOnceInTheRightMaildirByteForByte() throws Exception {
        try (Sandbox sandbox = Sandbox.builder(dir).start()) {
            int retries = exchange(sandbox);

            assertThat(retries).isZero();
        }
    }

    @Test
    void theSameHoldsWithChaosDuplicatesWebhookFailuresAndSmtp4xx() throws Exception {
        ChaosSettings chaos = ChaosSettings.builder(20241005)
                .deliveryDelayUpTo(Duration.ofMillis(20))
                .duplicateShare(0.3)
                .webhookFailureShare(0.3)
                .rcptFailureShare(0.1)
                .dataFailureShare(0.1)
                .build();
        try (Sandbox sandbox = Sandbox.builder(dir).chaos(chaos).start()) {
            int retries = exchange(sandbox);

            assertThat(retries).as("the chaos made senders retry").isPositive();
        }
    }

    /** @return how many sends were retried after a temporary refusal */
    private static int exchange(Sandbox sandbox) throws Exception {
        List<MailboxCredentials> agents = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            agents.add(sandbox.provisioner().createMailbox(MailboxRequest.of(
                    new MailboxAddress("agent.number" + i + ".00" + i + ".20241005123045", sandbox.domain())))
                    .credentials());
        }
        List<MailService> services = agents.stream().map(sandbox::mailService).toList();
        Map<String, byte[]> attachments = new HashMap<>();
        Map<String, MailboxAddress> recipients = new HashMap<>();
        AtomicInteger retries = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                int from = i % AGENTS;
                int to = (3 * i + 1) % AGENTS;
                String subject = "message " + i;
                byte[] attachment = SandboxLoad.bytes(i, 1_000 + 37 * i);
                attachments.put(subject, attachment);
                recipients.put(subject, agents.get(to).address());
                MailService mail = services.get(from);
                MimeMessage message = mail.toMimeMessage(OutgoingMessage.builder().to(agents.get(to).address().value())
                        .subject(subject).text("body of " + subject + "\r\n")
                        .attach("data-" + i + ".bin", "application/octet-stream", attachment).build());
                sends.add(pool.submit(() -> {
                    for (int attempt = 1; ; attempt++) { // the same message (same Message-ID) each time, as a client retries
                        try {
                            return mail.send(message);
                        } catch (MailSendException e) {
                            if (attempt >= 30) {
                                throw e;
                            }
                            retries.incrementAndGet();
                            Thread.sleep(5);
                        }
                    }
                }));
            }
            for (Future<?> f : sends) {
                f.get(90, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            services.forEach(MailService::close);
        }

        Map<String, Integer> seen = new HashMap<>();
        for (MailboxCredentials agent : agents) {
            for (MimeMessage m : SandboxLoad.maildir(sandbox.maildir(agent.address()))) {
                String subject = m.getSubject();
                seen.merge(subject, 1, Integer::sum);
                assertThat(recipients.get(subject)).as(subject).isEqualTo(agent.address());
                int n = Integer.parseInt(subject.substring("message ".length()));
                assertThat(SandboxLoad.attachment(m, "data-" + n + ".bin")).as(subject).isEqualTo(attachments.get(subject));
                assertThat(SandboxLoad.text(m, "text/plain")).isEqualTo("body of " + subject + "\r\n");
            }
        }
        assertThat(seen).hasSize(MESSAGES).allSatisfy((subject, count) -> assertThat(count).as(subject).isEqualTo(1));
        return retries.get();
    }
}
