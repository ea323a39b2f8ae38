package io.azt3knet.mail.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PopulateCommandTest {

    private static final Map<String, String> ENV = Map.of("DESEC_DOMAIN", "agents.example.org");

    @Test
    void previewsAgentsWithDeterministicAddressesOffline() {
        CommandRun a = CommandRun.run("", ENV, "populate", "--count", "5", "--country", "ES", "--seed", "42", "--at",
                "2024-10-05T12:30:45Z");
        CommandRun b = CommandRun.run("", ENV, "populate", "--count", "5", "--country", "ES", "--seed", "42", "--at",
                "2024-10-05T12:30:45Z");

        assertThat(a.exitCode()).as(a.err()).isZero();
        assertThat(a.lines()).hasSize(5).allMatch(l -> l.matches(
                "agent-0000\\d  .+ [a-z0-9]+\\.[a-z0-9]+\\.\\d{3}\\.20241005123045@agents\\.example\\.org"));
        assertThat(a.out()).isEqualTo(b.out());
        assertThat(a.err()).contains("--seed 42 --at 2024-10-05T12:30:45Z");
        CommandRun other = CommandRun.run("", ENV, "populate", "--count", "5", "--country", "ES", "--seed", "43", "--at",
                "2024-10-05T12:30:45Z");
        assertThat(other.out()).isNotEqualTo(a.out());
    }

    @Test
    void printsOneJsonObjectPerAgentWithItsAddress() throws Exception {
        CommandRun run = CommandRun.run("", ENV, "populate", "--count", "3", "--country", "RU", "--seed", "7", "--at",
                "2024-10-05T12:30:45Z", "--json", "--prefix", "bot");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.lines()).hasSize(3);
        JsonNode first = new ObjectMapper().readTree(run.lines().get(0));
        assertThat(first.get("id").asText()).isEqualTo("agent-00001");
        assertThat(first.get("firstName").asText()).matches("\\p{IsCyrillic}+");
        assertThat(first.get("address").asText()).matches("bot\\.[a-z]+\\.[a-z]+\\.\\d{3}\\.20241005123045@agents\\.example\\.org");
    }

    @Test
    void badUsageExitsWithTwoAndSaysWhy() {
        CommandRun country = CommandRun.run("", ENV, "populate", "--count", "3", "--country", "XX");
        assertThat(country.exitCode()).isEqualTo(2);
        assertThat(country.err()).contains("unknown country 'XX'");

        CommandRun count = CommandRun.run("", ENV, "populate", "--count", "0", "--country", "ES");
        assertThat(count.exitCode()).isEqualTo(2);
        assertThat(count.err()).contains("--count must be between 1 and 100000");

        CommandRun concurrency = CommandRun.run("", ENV, "populate", "--count", "1", "--country", "ES",
                "--create-mailboxes", "--sandbox", "--sandbox-dir", "target/never-created", "--concurrency", "300");
        assertThat(concurrency.exitCode()).isEqualTo(2);
        assertThat(concurrency.err()).contains("AZT3KNET_PROVISIONING_CONCURRENCY must be between 1 and 256, got 300");

        CommandRun noDomain = CommandRun.run("", Map.of(), "--env-file", "/nonexistent/.env", "populate", "--count", "1",
                "--country", "ES");
        assertThat(noDomain.exitCode()).isEqualTo(2);
        assertThat(noDomain.err()).contains("/nonexistent/.env");
    }

    @Test
    void creatingMailboxesWithoutAccountSettingsNamesEveryMissingVariable() {
        CommandRun run = CommandRun.run("", ENV, "populate", "--count", "1", "--country", "ES", "--create-mailboxes");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("MAILJET_API_KEY").contains("MAILJET_API_SECRET").doesNotContain("DESEC_TOKEN");
    }
}
