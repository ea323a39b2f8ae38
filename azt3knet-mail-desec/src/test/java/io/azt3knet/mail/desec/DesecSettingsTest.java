package io.azt3knet.mail.desec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.dns.DnsManager;
import io.azt3knet.mail.spi.DnsManagerFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class DesecSettingsTest {

    @Test
    void defaultsApplyWhenOnlyDomainAndTokenAreSet() {
        DesecSettings s = DesecSettings.from(ConfigSource.of(Map.of("DESEC_DOMAIN", "Agents.dedyn.io", "DESEC_TOKEN", "t0k3n")));

        assertThat(s.domain()).isEqualTo("agents.dedyn.io");
        assertThat(s.token().reveal()).isEqualTo("t0k3n");
        assertThat(s.apiUrl()).isEqualTo(URI.create("https://desec.io/api/v1"));
        assertThat(s.dynDnsUpdateUrl()).isEqualTo(URI.create("https://update.dedyn.io/"));
        assertThat(s.checkIpUrl()).isEqualTo(URI.create("https://checkipv4.dedyn.io/"));
        assertThat(s.maxQuotaWait()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.dynDnsInterval()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void everyProblemIsNamedInOneError() {
        ConfigSource source = ConfigSource.of(Map.of(
                "DESEC_API_URL", "http://desec.example.org/api/v1",
                "DESEC_CHECKIP_URL", "not a url",
                "DESEC_MAX_QUOTA_WAIT", "soon",
                "DESEC_DYNDNS_INTERVAL", "30s"));

        assertThatThrownBy(() -> DesecSettings.from(source))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .hasSize(6)
                        .anySatisfy(p -> assertThat(p).startsWith("DESEC_DOMAIN"))
                        .anySatisfy(p -> assertThat(p).startsWith("DESEC_TOKEN"))
                        .anySatisfy(p -> assertThat(p).startsWith("DESEC_API_URL").contains("https"))
                        .anySatisfy(p -> assertThat(p).startsWith("DESEC_CHECKIP_URL"))
                        .anySatisfy(p -> assertThat(p).startsWith("DESEC_MAX_QUOTA_WAIT"))
                        .anySatisfy(p -> assertThat(p).startsWith("DESEC_DYNDNS_INTERVAL").contains("1m")));
    }

    @Test
    void loopbackHttpIsAcceptedForLocalServers() {
        DesecSettings s = DesecSettings.from(ConfigSource.of(Map.of("DESEC_DOMAIN", "example.org", "DESEC_TOKEN", "t",
                "DESEC_API_URL", "http://127.0.0.1:8080/api/v1", "DESEC_DYNDNS_INTERVAL", "PT1H")));

        assertThat(s.apiUrl().getPort()).isEqualTo(8080);
        assertThat(s.dynDnsInterval()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void theRequestTimeoutIsThirtySecondsUnlessConfiguredAndEveryApiRequestCarriesIt() {
        DesecSettings configured = DesecSettings.from(ConfigSource.of(Map.of("DESEC_DOMAIN", "example.org",
                "DESEC_TOKEN", "t", "DESEC_API_URL", "http://127.0.0.1:9/api/v1", "DESEC_REQUEST_TIMEOUT", "3s")));
        java.util.List<Duration> timeouts = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.azt3knet.mail.http.HttpSender recording = request -> {
            timeouts.add(request.timeout());
            return new io.azt3knet.mail.http.HttpSender.Response(200, Map.of("Content-Type",
                    java.util.List.of("application/json")), "[]".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        };

        try (DesecClient client = DesecClient.builder(configured).httpSender(recording).build()) {
            client.recordSets("example.org");
        }

        assertThat(DesecSettings.builder("example.org", Secret.of("t")).build().requestTimeout()).hasSeconds(30);
        assertThat(configured.requestTimeout()).hasSeconds(3);
        assertThat(timeouts).isNotEmpty().containsOnly(Duration.ofSeconds(3));
    }

    @Test
    void aRequestTimeoutOutsideOneSecondToTenMinutesIsNamed() {
        for (String bad : java.util.List.of("0s", "900ms", "11m", "never")) {
            assertThatThrownBy(() -> DesecSettings.from(ConfigSource.of(Map.of("DESEC_DOMAIN", "example.org",
                    "DESEC_TOKEN", "t", "DESEC_REQUEST_TIMEOUT", bad)))).as(bad)
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                            .singleElement().asString().startsWith("DESEC_REQUEST_TIMEOUT must be"));
        }
    }

    @Test
    void toStringNeverShowsTheToken() {
        DesecSettings s = DesecSettings.builder("example.org", Secret.of("super-secret-token")).build();

        assertThat(s.toString()).doesNotContain("super-secret-token").contains("example.org");
    }

    @Test
    void builderValidatesEndpointsToo() {
        assertThatThrownBy(() -> DesecSettings.builder("example.org", Secret.of("t"))
                .dynDnsUpdateUrl(URI.create("http://update.dedyn.io/")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DESEC_DYNDNS_UPDATE_URL");
    }

    @Test
    void serviceLoaderFindsTheDesecFactoryWhichReadsTheSameVariables() {
        DnsManagerFactory factory = ServiceLoader.load(DnsManagerFactory.class)
                .stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.providerName().equals("desec")).findFirst().orElseThrow();

        try (DnsManager dns = factory.create(ConfigSource.of(Map.of("DESEC_DOMAIN", "example.org", "DESEC_TOKEN", "t")))) {
            assertThat(dns).isInstanceOf(DesecDnsManager.class);
        }
        assertThatThrownBy(() -> factory.create(ConfigSource.of(Map.of())))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).hasSize(2));
    }
}
