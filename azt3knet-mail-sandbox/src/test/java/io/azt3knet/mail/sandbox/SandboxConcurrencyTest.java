package io.azt3knet.mail.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.MailboxRequest;
import io.azt3knet.mail.send.MailService;
import io.azt3knet.mail.send.OutgoingMessage;
import io.azt3knet.mail.send.SendOutcome;
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
    static int exchange(Sandbox sandbox) throws Exception {
        List<MailboxCredentials> agents = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            agents.add(sandbox.provisioner().createMailbox(MailboxRequest.of(
                    new MailboxAddress("agent.number" + i + ".00" + i + ".20241005123045", sandbox.domain())))
                    .credentials());
        }
        Map<String, byte[]> attachments = new HashMap<>();
        Map<String, MailboxAddress> recipients = new HashMap<>();
        List<List<OutgoingMessage>> outgoing = new ArrayList<>();
        agents.forEach(a -> outgoing.add(new ArrayList<>()));
        for (int i = 0; i < MESSAGES; i++) {
            int to = (3 * i + 1) % AGENTS;
            String subject = "message " + i;
            byte[] attachment = SandboxLoad.bytes(i, 1_000 + 37 * i);
            attachments.put(subject, attachment);
            recipients.put(subject, agents.get(to).address());
            outgoing.get(i % AGENTS).add(OutgoingMessage.builder().to(agents.get(to).address().value())
                    .subject(subject).text("body of " + subject + "\r\n")
                    .attach("data-" + i + ".bin", "application/octet-stream", attachment).build());
        }
        AtomicInteger retries = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<?>> senders = new ArrayList<>();
            for (int a = 0; a < AGENTS; a++) {
                MailboxCredentials agent = agents.get(a);
                List<OutgoingMessage> mine = outgoing.get(a);
                senders.add(pool.submit(() -> {
                    try (MailService mail = sandbox.mailService(agent)) {
                        List<OutgoingMessage> pending = mine;
                        for (int round = 1; !pending.isEmpty(); round++) { // one connection per round, like a client
                            if (round > 30) {
                                throw new AssertionError(pending.size() + " message(s) still refused after 30 rounds");
                            }
                            List<SendOutcome> outcomes = mail.sendAll(pending);
                            List<OutgoingMessage> refused = new ArrayList<>();
                            for (int k = 0; k < outcomes.size(); k++) {
                                if (outcomes.get(k) instanceof SendOutcome.Failed) {
                                    refused.add(pending.get(k));
                                }
                            }
                            retries.addAndGet(refused.size());
                            pending = refused;
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : senders) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
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
