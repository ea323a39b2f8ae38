package io.azt3knet.mail.mailjet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.config.ConfigSource;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MailjetSettingsTest {

    private static final Map<String, String> MINIMAL = Map.of("MAILJET_API_KEY", "abc123key", "MAILJET_API_SECRET",
            "very-secret");

    @Test
    void defaultsApplyWhenOnlyTheKeyPairIsSet() {
        MailjetSettings s = MailjetSettings.from(ConfigSource.of(MINIMAL));

        assertThat(s.apiKey()).isEqualTo("abc123key");
        assertThat(s.apiSecret().reveal()).isEqualTo("very-secret");
        assertThat(s.apiUrl()).isEqualTo(URI.create("https://api.mailjet.com"));
        assertThat(s.mxHosts()).containsExactly("parse.mailjet.com");
        assertThat(s.spfInclude()).isEqualTo("include:spf.mailjet.com");
        assertThat(s.inboundUrl()).isEmpty();
        assertThat(s.inboundSecret()).isEmpty();
        assertThat(s.smtpHost()).isEqualTo("in-v3.mailjet.com");
        assertThat(s.smtpPort()).isEqualTo(587);
    }

    @Test
    void readsEveryVariable() {
        MailjetSettings s = MailjetSettings.from(ConfigSource.of(Map.of(
                "MAILJET_API_KEY", "abc123key", "MAILJET_API_SECRET", "very-secret",
                "MAILJET_API_URL", "https://api.us.mailjet.com",
                "MAILJET_MX_HOSTS", "parse.mailjet.com., MX2.example.org",
                "MAILJET_SPF_INCLUDE", "include:spf.example.org",
                "MAILJET_INBOUND_URL", "https://hooks.example.org/mailjet/inbound",
                "MAILJET_INBOUND_SECRET", "hook-secret-0123456789",
                "MAILJET_SMTP_HOST", "in.mailjet.com",
                "MAILJET_SMTP_PORT", "465")));

        assertThat(s.apiUrl()).isEqualTo(URI.create("https://api.us.mailjet.com"));
        assertThat(s.mxHosts()).containsExactly("parse.mailjet.com", "mx2.example.org");
        assertThat(s.spfInclude()).isEqualTo("include:spf.example.org");
        assertThat(s.inboundUrl()).hasValue(URI.create("https://hooks.example.org/mailjet/inbound"));
        assertThat(s.inboundSecret()).hasValueSatisfying(x -> assertThat(x.reveal()).isEqualTo("hook-secret-0123456789"));
        assertThat(s.smtpHost()).isEqualTo("in.mailjet.com");
        assertThat(s.smtpPort()).isEqualTo(465);
    }

    @Test
    void oneErrorNamesEveryMissingOrMalformedVariable() {
        assertThatThrownBy(() -> MailjetSettings.from(ConfigSource.of(Map.of(
                "MAILJET_API_URL", "http://api.mailjet.com",
                "MAILJET_INBOUND_URL", "https://user:pw@hooks.example.org/in",
                "MAILJET_SMTP_PORT", "70000",
                "MAILJET_SPF_INCLUDE", "v=spf1 include:x -all"))))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.problems()).hasSize(6);
                    assertThat(String.join("\n", e.problems())).contains("MAILJET_API_KEY", "MAILJET_API_SECRET",
                            "MAILJET_API_URL", "MAILJET_INBOUND_URL", "MAILJET_SMTP_PORT", "MAILJET_SPF_INCLUDE");
                    assertThat(e.getMessage()).doesNotContain("pw@");
                });
    }

    @Test
    void theRequestTimeoutIsThirtySecondsUnlessConfiguredAndEveryRequestCarriesIt() throws Exception {
        Map<String, String> quick = new java.util.HashMap<>(MINIMAL);
        quick.put("MAILJET_REQUEST_TIMEOUT", "2s");
        quick.put("MAILJET_API_URL", "http://127.0.0.1:9");
        MailjetSettings configured = MailjetSettings.from(ConfigSource.of(quick));
        List<java.time.Duration> timeouts = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.azt3knet.mail.http.HttpSender recording = request -> {
            timeouts.add(request.timeout());
            return new io.azt3knet.mail.http.HttpSender.Response(200, Map.of(),
                    "{\"Count\":0,\"Data\":[],\"Total\":0}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        };

        try (MailjetClient client = MailjetClient.create(configured, recording)) {
            client.listAllParseRoutes();
        }

        assertThat(MailjetSettings.from(ConfigSource.of(MINIMAL)).requestTimeout()).hasSeconds(30);
        assertThat(configured.requestTimeout()).hasSeconds(2);
        assertThat(timeouts).isNotEmpty().containsOnly(java.time.Duration.ofSeconds(2));
    }

    @Test
    void aRequestTimeoutOutsideOneSecondToTenMinutesIsNamed() {
        for (String bad : List.of("0s", "500ms", "11m", "soon")) {
            Map<String, String> env = new java.util.HashMap<>(MINIMAL);
            env.put("MAILJET_REQUEST_TIMEOUT", bad);

            assertThatThrownBy(() -> MailjetSettings.from(ConfigSource.of(env))).as(bad)
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                            .singleElement().asString().startsWith("MAILJET_REQUEST_TIMEOUT must be"));
        }
    }

    @Test
    void plainHttpIsAcceptedOnlyOnLoopback() {
        Map<String, String> local = new java.util.HashMap<>(MINIMAL);
        local.put("MAILJET_API_URL", "http://127.0.0.1:8089");
        local.put("MAILJET_INBOUND_URL", "http://localhost:8080/inbound");

        MailjetSettings s = MailjetSettings.from(ConfigSource.of(local));

        assertThat(s.apiUrl().getPort()).isEqualTo(8089);
        assertThat(s.inboundUrl()).hasValue(URI.create("http://localhost:8080/inbound"));
    }

    @Test
    void inboundUrlMustNotBeTheSiteRoot() {
        Map<String, String> root = new java.util.HashMap<>(MINIMAL);
        root.put("MAILJET_INBOUND_URL", "https://hooks.example.org/");

        assertThatThrownBy(() -> MailjetSettings.from(ConfigSource.of(root)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("site root");
    }

    @Test
    void toStringShowsNoSecretAndOnlyTheEndOfTheKey() {
        MailjetSettings s = MailjetSettings.builder("abc123key", Secret.of("very-secret"))
                .inboundUrl(URI.create("https://hooks.example.org/in")).inboundSecret(Secret.of("hook-secret-0123456789")).build();

        assertThat(s.toString()).doesNotContain("very-secret").doesNotContain("hook-secret").doesNotContain("abc123")
                .contains("3key").contains("https://hooks.example.org/in");
    }

    @Test
    void builderNamesABlankKey() {
        assertThatThrownBy(() -> MailjetSettings.builder(" ", Secret.of("s")).build())
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.problems()).containsExactly("MAILJET_API_KEY is required but not set"));
    }

    @Test
    void builderValidatesLikeTheVariables() {
        assertThatThrownBy(() -> MailjetSettings.builder("key", Secret.of("s"))
                .mxHosts(List.of("not a host")).smtp("in-v3.mailjet.com", 0).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).hasSize(2));
    }

    @org.junit.jupiter.api.Test
    void refusesInboundSecretsThatAreShortOrNeedEncodingAndTokensInTheInboundUrl() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MailjetSettings.from(io.azt3knet.mail.config.ConfigSource.of(
                java.util.Map.of("MAILJET_API_KEY", "key123", "MAILJET_API_SECRET", "sec",
                        "MAILJET_INBOUND_URL", "https://hooks.example.org/in?token=abc",
                        "MAILJET_INBOUND_SECRET", "short/+secret"))))
                .isInstanceOf(io.azt3knet.mail.ConfigurationException.class)
                .hasMessageContaining("MAILJET_INBOUND_SECRET must be at least 16 characters")
                .hasMessageContaining("MAILJET_INBOUND_URL must not carry a token")
                .hasMessageNotContaining("short/+secret");
    }
}
