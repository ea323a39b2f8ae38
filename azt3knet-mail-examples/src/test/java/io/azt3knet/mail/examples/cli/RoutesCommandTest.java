package io.azt3knet.mail.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.test.fake.FakeMailjet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code routes rotate-secret} against the Mailjet fake: every route of this deployment carries the new secret. */
class RoutesCommandTest {

    private ProviderFakes fakes;

    @BeforeEach
    void start() {
        fakes = new ProviderFakes();
    }

    @AfterEach
    void stop() {
        fakes.close();
    }

    @Test
    void rotatesTheSecretOfEveryRouteOfThisDeploymentWithoutPrintingIt() {
        CommandRun populated = CommandRun.run("", fakes.env(), "populate", "--count", "3", "--country", "ES", "--seed",
                "42", "--at", "2024-10-05T12:30:45Z", "--domain", ProviderFakes.DOMAIN, "--create-mailboxes");
        assertThat(populated.exitCode()).as(populated.err()).isZero();
        Map<String, String> rotated = new HashMap<>(fakes.env());
        rotated.put("MAILJET_INBOUND_SECRET", "rotated-secret-0123456789");

        CommandRun planned = CommandRun.run("", rotated, "routes", "rotate-secret", "--dry-run", "--json");
        assertThat(planned.exitCode()).as(planned.err()).isZero();
        assertThat(planned.out().strip()).isEqualTo("{\"routes\":3,\"updated\":3,\"dryRun\":true}");
        assertThat(fakes.mailjetServer.findAll(com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()))).isEmpty();

        CommandRun run = CommandRun.run("", rotated, "routes", "rotate-secret");
        CommandRun again = CommandRun.run("", rotated, "routes", "rotate-secret");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("rotated 3 of 3 route(s) of " + ProviderFakes.INBOUND_URL)
                .doesNotContain("rotated-secret-0123456789").doesNotContain(FakeMailjet.SECRET);
        assertThat(again.out()).contains("rotated 0 of 3");
        assertThat(fakes.mailjet.routeCount()).isEqualTo(3);
    }

    @Test
    void needsTheNewSecret() {
        Map<String, String> env = new HashMap<>(fakes.env());
        env.remove("MAILJET_INBOUND_SECRET");

        CommandRun run = CommandRun.run("", env, "routes", "rotate-secret");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("MAILJET_INBOUND_SECRET");
    }
}
