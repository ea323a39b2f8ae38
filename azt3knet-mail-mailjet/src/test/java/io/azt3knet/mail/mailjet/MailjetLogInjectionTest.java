package io.azt3knet.mail.mailjet;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.provisioning.MailboxCreation;
import io.azt3knet.mail.provisioning.MailboxRequest;
import io.azt3knet.mail.test.fake.FakeMailjet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mailjet's own text (an error message that quotes a request, say) reaches the provisioner's log lines escaped: CR,
 * LF and other control characters never start a line of their own in the captured log.
 */
class MailjetLogInjectionTest {

    private static final String FORGED = "2026-01-01 INFO forged entry";

    private final FakeMailjet fake = new FakeMailjet();
    private MailjetProvisioner provisioner;

    @BeforeEach
    void start() {
        fake.startServer();
        MailjetSettings settings = MailjetFakes.settings(fake).build();
        provisioner = MailjetProvisioner.builder(settings).httpClient(MailjetFakes.http(settings))
                .createRetry(new CreateRetry(4, Duration.ofMillis(250), Duration.ofSeconds(4), nanos -> { }, () -> 0.5))
                .build();
    }

    @AfterEach
    void stop() {
        provisioner.close();
        fake.stopServer();
    }

    @Test
    void anAmbiguousRouteCreateQuotingHostileTextIsLoggedOnOneLine() {
        fake.afterNextRouteCreate(500, "{\"ErrorInfo\":\"\",\"ErrorMessage\":\"boom\\r\\n" + FORGED + "\\u001b[2J\\n"
                + FORGED + "\",\"StatusCode\":500}");
        MailboxAddress jane = new MailboxAddress("jane.doe.123.20241005123045", "agents.example.org");

        PrintStream original = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        MailboxCreation created;
        try {
            created = provisioner.createMailbox(MailboxRequest.of(jane));
        } finally {
            System.setErr(original);
        }

        assertThat(created.outcome()).isEqualTo(MailboxCreation.Outcome.CREATED);
        String text = log.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("failed ambiguously").contains("boom\\r\\n" + FORGED + "\\u001b[2J");
        for (String line : text.split("\r\n|\r|\n")) {
            assertThat(line).doesNotStartWith(FORGED).doesNotContain("\u001b");
        }
    }
}
