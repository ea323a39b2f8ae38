package io.azt3knet.mail.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.test.fake.FakeMailjet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code populate --credentials}: which Mailjet key pair the agents get, against the stateful Mailjet fake. */
class PopulateCredentialsTest {

    /** The population's key when MAILJET_POPULATION is not set: its domain, instant and seed. */
    private static final String KEY_NAME = "azt3knet-population-agents.example.org-20241005123045-42";

    private ProviderFakes fakes;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        fakes = new ProviderFakes();
    }

    @AfterEach
    void stop() {
        fakes.close();
    }

    private CommandRun populate(Map<String, String> env, String... options) {
        String[] args = Stream.concat(Stream.of("populate", "--count", "3", "--country", "ES", "--seed", "42",
                "--at", "2024-10-05T12:30:45Z", "--create-mailboxes"), Stream.of(options)).toArray(String[]::new);
        return CommandRun.run("", env, args);
    }

    private static String user(String line) {
        return line.replaceAll(".* user (\\S+) password .*", "$1");
    }

    private static String password(String line) {
        return line.replaceAll(".* password (\\S+)$", "$1");
    }

    @Test
    void populationModeGivesEveryAgentThePopulationsOwnKeyAndARerunOfTheManifestFindsItAgain() throws Exception {
        Path manifest = dir.resolve("population.json");

        CommandRun first = populate(fakes.env(), "--credentials", "population", "--manifest", manifest.toString());

        assertThat(first.exitCode()).as(first.err()).isZero();
        String key = fakes.mailjet.apiKeyOf(KEY_NAME).orElseThrow();
        String secret = fakes.mailjet.secretKeyOf(KEY_NAME).orElseThrow();
        assertThat(first.lines()).hasSize(3).allSatisfy(l -> {
            assertThat(user(l)).isEqualTo(key);
            assertThat(password(l)).isEqualTo("****");
        });
        assertThat(first.err()).contains("MAILJET_CREDENTIALS_MODE=population").contains("'" + KEY_NAME + "'");
        assertThat(first.out() + first.err()).doesNotContain(secret).doesNotContain(FakeMailjet.SECRET);
        assertThat(fakes.mailjet.sendersOfKey(KEY_NAME)).containsExactly("*@" + ProviderFakes.DOMAIN);
        assertThat(Files.readString(manifest)).doesNotContain(secret);

        CommandRun again = CommandRun.run("", fakes.env(), "populate", "--manifest", manifest.toString(),
                "--create-mailboxes", "--credentials", "population", "--show-secrets");

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.lines()).hasSize(3).allSatisfy(l -> {
            assertThat(user(l)).isEqualTo(key);
            assertThat(password(l)).as("--show-secrets asked for it").isEqualTo(secret);
        });
        assertThat(fakes.mailjet.apiKeyPosts()).isEqualTo(1);
        assertThat(fakes.mailjet.apiKeyCount()).isEqualTo(1);
        assertThat(fakes.mailjet.sendersOfKey(KEY_NAME)).hasSize(1);
    }

    @Test
    void theModeAndThePopulationNameComeFromTheConfigurationToo() {
        CommandRun run = populate(fakes.env(Map.of("MAILJET_CREDENTIALS_MODE", "population",
                "MAILJET_POPULATION", "crew-7")));

        assertThat(run.exitCode()).as(run.err()).isZero();
        String key = fakes.mailjet.apiKeyOf("azt3knet-population-crew-7").orElseThrow();
        assertThat(run.lines()).hasSize(3).allSatisfy(l -> assertThat(user(l)).isEqualTo(key));
    }

    @Test
    void agentModeGivesEachAgentAKeyOfItsOwnAndAccountModeTheAccountsPair() {
        CommandRun agents = populate(fakes.env(), "--credentials", "agent");
        CommandRun account = populate(fakes.env(), "--credentials", "account");

        assertThat(agents.exitCode()).as(agents.err()).isZero();
        assertThat(agents.lines().stream().map(PopulateCredentialsTest::user).distinct()).hasSize(3)
                .doesNotContain(FakeMailjet.KEY);
        assertThat(fakes.mailjet.apiKeyCount()).isEqualTo(3);
        assertThat(account.exitCode()).as(account.err()).isZero();
        assertThat(account.lines()).hasSize(3).allSatisfy(l -> assertThat(user(l)).isEqualTo(FakeMailjet.KEY));
        assertThat(account.err()).contains("MAILJET_CREDENTIALS_MODE=account");
    }

    @Test
    void anUnknownModeOrOneTheSandboxCannotHonourIsAUsageError() {
        CommandRun unknown = populate(fakes.env(), "--credentials", "master");
        CommandRun sandbox = populate(Map.of(), "--credentials", "population", "--sandbox", "--sandbox-dir",
                dir.resolve("sandbox").toString());

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("MAILJET_CREDENTIALS_MODE must be account, population or agent, got 'master'")
                .doesNotContain("Exception");
        assertThat(fakes.mailjet.routeCount()).isZero();
        assertThat(sandbox.exitCode()).isEqualTo(2);
        assertThat(sandbox.err()).contains("--credentials").contains("--sandbox");
    }
}
