package io.azt3knet.mail.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SendCommandTest {

    @Test
    void namesEveryMissingVariableBeforeConnecting() {
        CommandRun run = CommandRun.run("", Map.of(), "send", "--from", "agent@agents.example", "--to",
                "bob@example.org", "--subject", "hi", "--text", "hello");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("MAILJET_API_KEY", "MAILJET_API_SECRET");
    }

    @Test
    void refusesTextAndHtmlTogetherAndNeedsOneOfThem() {
        CommandRun both = CommandRun.run("", Map.of(), "send", "--from", "agent@agents.example", "--to",
                "bob@example.org", "--subject", "hi", "--text", "a", "--html", "<p>a</p>");
        CommandRun neither = CommandRun.run("", Map.of(), "send", "--from", "agent@agents.example", "--to",
                "bob@example.org", "--subject", "hi");

        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(neither.exitCode()).isEqualTo(2);
    }

    @Test
    void refusesAnInvalidAddressOrAMissingAttachmentAsBadInput() {
        Map<String, String> env = Map.of("MAILJET_API_KEY", "k", "MAILJET_API_SECRET", "s");
        CommandRun badTo = CommandRun.run("", env, "send", "--from", "agent@agents.example", "--to",
                "bob@example.org\r\nBcc: x@y.z", "--subject", "hi", "--text", "a");
        CommandRun noFile = CommandRun.run("", env, "send", "--from", "agent@agents.example", "--to",
                "bob@example.org", "--subject", "hi", "--text", "a", "--attach", "/nonexistent/file.pdf");

        assertThat(badTo.exitCode()).isEqualTo(2);
        assertThat(badTo.err()).contains("--to");
        assertThat(noFile.exitCode()).isEqualTo(2);
        assertThat(noFile.err()).contains("/nonexistent/file.pdf");
    }

    @Test
    void refusesEveryMalformedOptionWithExit2AndAMessageNeverAStackTrace() {
        Map<String, String> env = Map.of("MAILJET_API_KEY", "k", "MAILJET_API_SECRET", "s");
        List<String[]> inputs = List.of(
                new String[] {"--from-name", "x\ny"},
                new String[] {"--from-name", "x\r\nBcc: victim@example.org"},
                new String[] {"--subject", "a\nBcc: victim@example.org"},
                new String[] {"--custom-id", "a\r\nb"},
                new String[] {"--cc", "not an address"});
        for (String[] extra : inputs) {
            List<String> args = new java.util.ArrayList<>(List.of("send", "--from", "agent@agents.example", "--to",
                    "bob@example.org", "--text", "a"));
            if (!extra[0].equals("--subject")) {
                args.addAll(List.of("--subject", "hi"));
            }
            args.addAll(List.of(extra));

            CommandRun run = CommandRun.run("", env, args.toArray(String[]::new));

            assertThat(run.exitCode()).as(String.join(" ", extra)).isEqualTo(2);
            assertThat(run.err()).as(String.join(" ", extra)).doesNotContain("unexpected error")
                    .doesNotContain("\tat ");
            assertThat(run.err().lines().count()).as(run.err()).isEqualTo(1);
        }
    }

    @Test
    void reportsAnUnreachableRelayAsAFailedOperation() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> env = Map.of("MAILJET_API_KEY", "k", "MAILJET_API_SECRET", "super-secret",
                "MAILJET_SMTP_HOST", "127.0.0.1", "MAILJET_SMTP_PORT", String.valueOf(closedPort));

        CommandRun run = CommandRun.run("", env, "send", "--from", "agent@agents.example", "--to", "bob@example.org",
                "--subject", "hi", "--text", "a");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("could not connect").doesNotContain("super-secret");
    }
}
