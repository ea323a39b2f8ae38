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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos is replayable: the same seed and the same messages give the same refusals, attempt by attempt, in a fresh
 * sandbox; another seed gives others. A failing robustness test can therefore be run again to see the same trouble.
 */
class ChaosReplayTest {

    private static final int MESSAGES = 12;

    @TempDir
    Path dir;

    @Test
    void theSameSeedReplaysTheSameRefusalsAndAnotherSeedDoesNot() throws Exception {
        List<MimeMessage> messages = messages();

        List<String> first = run(dir.resolve("first"), 20241005, messages);
        List<String> replay = run(dir.resolve("replay"), 20241005, messages);
        List<String> other = run(dir.resolve("other"), 7, messages);

        assertThat(first).as("each message's attempts: R refused (451), A accepted").hasSize(MESSAGES)
                .allMatch(s -> s.endsWith("A"));
        assertThat(String.join("", first)).as("the chaos refused some attempts").contains("R");
        assertThat(replay).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    /** The same bytes for every run: built once, with their Message-ID and Date fixed. */
    private List<MimeMessage> messages() throws Exception {
        try (Sandbox builder = Sandbox.builder(dir.resolve("builder")).start()) {
            MailboxCredentials ada = mailbox(builder, "ada");
            List<MimeMessage> out = new ArrayList<>();
            try (MailService mail = builder.mailService(ada)) {
                for (int i = 0; i < MESSAGES; i++) {
                    out.add(mail.toMimeMessage(OutgoingMessage.builder().to("bob@" + builder.domain())
                            .subject("message " + i).text("body " + i).build()));
                }
            }
            return out;
        }
    }

    private static List<String> run(Path directory, long seed, List<MimeMessage> messages) {
        ChaosSettings chaos = ChaosSettings.builder(seed).rcptFailureShare(0.3).dataFailureShare(0.3)
                .duplicateShare(0.5).build();
        List<String> attempts = new ArrayList<>();
        try (Sandbox sandbox = Sandbox.builder(directory).chaos(chaos).start()) {
            MailboxCredentials ada = mailbox(sandbox, "ada");
            mailbox(sandbox, "bob");
            try (MailService mail = sandbox.mailService(ada)) {
                for (MimeMessage m : messages) {
                    StringBuilder s = new StringBuilder();
                    for (int attempt = 1; attempt <= 20 && !s.toString().endsWith("A"); attempt++) {
                        try {
                            mail.send(m);
                            s.append('A');
                        } catch (MailSendException e) {
                            assertThat(e.getMessage()).contains("451");
                            s.append('R');
                        }
                    }
                    attempts.add(s.toString());
                }
            }
            assertThat(SandboxLoad.maildir(sandbox.maildir(new MailboxAddress("bob", sandbox.domain()))))
                    .as("stored once each, duplicates included").hasSize(messages.size());
        }
        return attempts;
    }

    private static MailboxCredentials mailbox(Sandbox sandbox, String localPart) {
        return sandbox.provisioner().createMailbox(MailboxRequest.of(new MailboxAddress(localPart, sandbox.domain())))
                .credentials();
    }
}
