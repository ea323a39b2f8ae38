package io.azt3knet.mail.mailjet;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.ProviderServiceException;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.MailboxDeletion;
import io.azt3knet.mail.provisioning.MailboxRequest;
import io.azt3knet.mail.test.fake.FakeMailjet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code population} credentials mode on the stateful fake of Mailjet, where senders are per API key as Mailjet
 * documents and a sub-account key may only use {@code sender} and {@code dns}: one dedicated key per population,
 * found again on every run and never made twice, its catch-all sender registered under it.
 */
class MailjetPopulationCredentialsTest {

    private static final String DOMAIN = "agents.example.org";
    private static final String KEY_NAME = "azt3knet-population-agents.example.org-20241005123045-7";

    private final FakeMailjet fake = new FakeMailjet();
    private WireMockServer server;
    private final List<MailjetProvisioner> opened = new ArrayList<>();
    /** Backoff pauses asked for, in nanoseconds; never slept. */
    private final List<Long> pauses = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() {
        server = fake.startServer();
        fake.addDomainSender(DOMAIN, true); // the account's own *@domain, prepared by dns-bootstrap
    }

    @AfterEach
    void stop() {
        opened.forEach(MailjetProvisioner::close);
        fake.stopServer();
    }

    /** A provisioner as a new process would build it: nothing cached. */
    private MailjetProvisioner population() {
        MailjetSettings settings = MailjetFakes.settings(fake).build();
        MailjetProvisioner p = MailjetProvisioner.builder(settings).httpClient(MailjetFakes.http(settings))
                .keyHttpClients(MailjetFakes::http)
                .credentialsMode(MailjetCredentialsMode.population("agents.example.org-20241005123045-7"))
                .createRetry(new CreateRetry(4, Duration.ofMillis(250), Duration.ofSeconds(4), pauses::add, () -> 0.5))
                .build();
        opened.add(p);
        return p;
    }

    private static MailboxAddress agent(int i) {
        return new MailboxAddress("agent" + i + ".doe.123.20241005123045", DOMAIN);
    }

    private static String basic(String key, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyAgentOfThePopulationGetsTheSameDedicatedKeyWithTheDomainSenderRegisteredUnderIt() {
        MailjetProvisioner mailjet = population();

        MailboxCredentials jane = mailjet.createMailbox(MailboxRequest.of(agent(1))).credentials();
        MailboxCredentials john = mailjet.createMailbox(MailboxRequest.of(agent(2))).credentials();

        String key = fake.apiKeyOf(KEY_NAME).orElseThrow();
        String secret = fake.secretKeyOf(KEY_NAME).orElseThrow();
        assertThat(List.of(jane, john)).allSatisfy(c -> {
            assertThat(c.smtpUsername()).isEqualTo(key).isNotEqualTo(FakeMailjet.KEY);
            assertThat(c.smtpPassword().reveal()).isEqualTo(secret).isNotEqualTo(FakeMailjet.SECRET);
        });
        assertThat(fake.apiKeyCount()).isEqualTo(1);
        assertThat(fake.sendersOfKey(KEY_NAME)).containsExactly("*@" + DOMAIN);
        server.verify(1, postRequestedFor(urlPathEqualTo("/v3/REST/apikey"))
                .withRequestBody(equalTo("{\"Name\":\"" + KEY_NAME + "\"}")));
        server.verify(1, postRequestedFor(urlPathEqualTo("/v3/REST/sender"))
                .withHeader("Authorization", equalTo(basic(key, secret))));
        // the routes are the account's: created with its pair, never with the population's key
        assertThat(fake.routesFor(agent(1).value())).hasSize(1);
        server.verify(2, postRequestedFor(urlPathEqualTo("/v3/REST/parseroute"))
                .withHeader("Authorization", equalTo(basic(FakeMailjet.KEY, FakeMailjet.SECRET))));
        assertThat(jane.toString()).doesNotContain(secret);
    }

    @Test
    void aReRunFindsTheKeyAndItsSenderAgainAndCreatesNeither() {
        MailboxCredentials first = population().createMailbox(MailboxRequest.of(agent(1))).credentials();

        MailjetProvisioner rerun = population();
        rerun.prepareDomain(DOMAIN);
        MailboxCredentials again = rerun.createMailbox(MailboxRequest.of(agent(1))).credentials();
        MailboxCredentials grown = rerun.createMailbox(MailboxRequest.of(agent(2))).credentials();

        assertThat(again.smtpUsername()).isEqualTo(first.smtpUsername()).isEqualTo(grown.smtpUsername());
        assertThat(again.smtpPassword().reveal()).isEqualTo(first.smtpPassword().reveal());
        assertThat(fake.apiKeyPosts()).isEqualTo(1);
        assertThat(fake.apiKeyCount()).isEqualTo(1);
        assertThat(fake.sendersOfKey(KEY_NAME)).containsExactly("*@" + DOMAIN);
        server.verify(1, postRequestedFor(urlPathEqualTo("/v3/REST/sender"))
                .withHeader("Authorization", equalTo(basic(first.smtpUsername(), first.smtpPassword().reveal()))));
    }

    @Test
    void aKeyCreatedButWhoseAnswerWasLostIsFoundByListingAndNeverCreatedTwice() {
        fake.afterNextApiKeyCreate(Fault.CONNECTION_RESET_BY_PEER);

        MailboxCredentials c = population().createMailbox(MailboxRequest.of(agent(1))).credentials();

        assertThat(fake.apiKeyPosts()).isEqualTo(1);
        assertThat(fake.apiKeyCount()).isEqualTo(1);
        assertThat(c.smtpUsername()).isEqualTo(fake.apiKeyOf(KEY_NAME).orElseThrow());
        assertThat(pauses).as("found on the re-check: no backoff, no second create").isEmpty();
    }

    @Test
    void aKeyCreateAnswered500IsCheckedBeforeCreatingAgain() {
        fake.afterNextApiKeyCreate(500, "{\"ErrorIdentifier\":\"5f0c0b7e-4c4e-4d0e-9a8c-1a2b3c4d5e6f\","
                + "\"ErrorMessage\":\"Internal Server Error\",\"StatusCode\":500}");

        MailjetProvisioner mailjet = population();
        mailjet.createMailbox(MailboxRequest.of(agent(1)));
        mailjet.createMailbox(MailboxRequest.of(agent(2)));

        assertThat(fake.apiKeyPosts()).isEqualTo(1);
        assertThat(fake.apiKeyCount()).isEqualTo(1);
        assertThat(fake.sendersOfKey(KEY_NAME)).hasSize(1);
    }

    @Test
    void aNewKeyThatMailjetRefusesForItsFirstSecondsIsWaitedOutWithBoundedBackoff() {
        fake.newKeysRefusedFor(2); // "wait a few seconds before using it"

        MailboxCredentials c = population().createMailbox(MailboxRequest.of(agent(1))).credentials();

        assertThat(c.smtpUsername()).isEqualTo(fake.apiKeyOf(KEY_NAME).orElseThrow());
        assertThat(pauses).hasSize(2);
        assertThat(fake.sendersOfKey(KEY_NAME)).containsExactly("*@" + DOMAIN);
    }

    @Test
    void theKeysSenderIsValidatedWithTheKeyOnceTheOwnershipRecordIsPublished() {
        fake.ownershipPublished(true);

        MailboxCredentials c = population().createMailbox(MailboxRequest.of(agent(1))).credentials();

        server.verify(1, postRequestedFor(urlPathMatching("/v3/REST/sender/[0-9]+/validate"))
                .withHeader("Authorization", equalTo(basic(c.smtpUsername(), c.smtpPassword().reveal()))));
    }

    @Test
    void deletingAMailboxLeavesTheSharedPopulationKeyActive() {
        MailjetProvisioner mailjet = population();
        mailjet.createMailbox(MailboxRequest.of(agent(1)));
        mailjet.createMailbox(MailboxRequest.of(agent(2)));

        MailboxDeletion deletion = mailjet.deleteMailbox(agent(1));

        assertThat(deletion.outcome()).isEqualTo(MailboxDeletion.Outcome.DELETED);
        assertThat(fake.apiKeyActive(KEY_NAME)).isTrue();
        server.verify(0, putRequestedFor(urlPathMatching("/v3/REST/apikey/.*")));
    }

    @Test
    void aKeyFoundWithoutItsSecretIsATypedErrorThatSaysWhatToDoAndShowsNoSecret() {
        population().createMailbox(MailboxRequest.of(agent(1)));
        fake.secretKeysListed(false); // UNCONFIRMED whether Mailjet lists SecretKey

        assertThatThrownBy(() -> population().createMailbox(MailboxRequest.of(agent(2))))
                .isInstanceOf(ProviderServiceException.class)
                .hasMessageContaining("did not return the secret of the existing population key '" + KEY_NAME + "'")
                .hasMessageContaining("MAILJET_POPULATION")
                .hasMessageNotContaining(fake.secretKeyOf(KEY_NAME).orElseThrow())
                .hasMessageNotContaining(FakeMailjet.SECRET);
        assertThat(fake.apiKeyCount()).isEqualTo(1);
    }

    @Test
    void theModeIsReadFromTheConfigurationAndEveryProblemIsNamed() {
        assertThat(MailjetCredentialsMode.from(ConfigSource.of(Map.of()))).isEqualTo(MailjetCredentialsMode.account());
        assertThat(MailjetCredentialsMode.from(ConfigSource.of(Map.of("MAILJET_CREDENTIALS_MODE", "Agent"))))
                .isEqualTo(MailjetCredentialsMode.perAgent());
        assertThat(MailjetCredentialsMode.from(ConfigSource.of(Map.of("MAILJET_CREDENTIALS_MODE", "population",
                "MAILJET_POPULATION", "crew-7")))).isEqualTo(MailjetCredentialsMode.population("crew-7"));
        assertThatThrownBy(() -> MailjetCredentialsMode.from(ConfigSource.of(Map.of("MAILJET_CREDENTIALS_MODE",
                "population")))).isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .singleElement().asString().startsWith("MAILJET_POPULATION is required"));
        assertThatThrownBy(() -> MailjetCredentialsMode.from(ConfigSource.of(Map.of("MAILJET_CREDENTIALS_MODE",
                "population", "MAILJET_POPULATION", "a b\r\n")))).isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.problems()).singleElement().asString()
                                .startsWith("MAILJET_POPULATION must be").doesNotContain("\n"));
        assertThatThrownBy(() -> new MailjetProvisionerFactory().createForMailboxes(ConfigSource.of(Map.of(
                "MAILJET_API_KEY", FakeMailjet.KEY, "MAILJET_API_SECRET", FakeMailjet.SECRET,
                "MAILJET_CREDENTIALS_MODE", "master"))))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "MAILJET_CREDENTIALS_MODE must be account, population or agent, got 'master'",
                        MailjetSettings.INBOUND_URL_REQUIRED));
    }

    @Test
    void theFactoryBuildsTheConfiguredMode() {
        Map<String, String> env = Map.of("MAILJET_API_KEY", FakeMailjet.KEY, "MAILJET_API_SECRET", FakeMailjet.SECRET,
                "MAILJET_API_URL", fake.baseUrl().toString(), "MAILJET_INBOUND_URL",
                "https://hooks.example.org/mailjet/inbound", "MAILJET_CREDENTIALS_MODE", "population",
                "MAILJET_POPULATION", "crew-7");
        try (MailjetProvisioner p = (MailjetProvisioner) new MailjetProvisionerFactory()
                .createForMailboxes(ConfigSource.of(env))) {
            assertThat(p.credentialsMode()).isEqualTo(MailjetCredentialsMode.population("crew-7"));
            assertThat(p.toString()).doesNotContain(FakeMailjet.SECRET);
        }
    }
}
