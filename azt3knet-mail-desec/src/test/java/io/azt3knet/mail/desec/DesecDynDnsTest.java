package io.azt3knet.mail.desec;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.azt3knet.mail.ProviderServiceException;
import io.azt3knet.mail.QuotaExhaustedException;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.dns.DynDnsOutcome;
import io.azt3knet.mail.dns.DynDnsUpdate;
import io.azt3knet.mail.internal.http.RetrySettings;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DesecDynDnsTest {

    private static final String TOKEN = "dyn-tok-55aa";
    private static final String DOMAIN = "agents.dedyn.io";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    private WireMockServer server;
    private DesecDnsManager dns;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.port());
        dns = DesecDnsManager.builder(DesecSettings.builder(DOMAIN, Secret.of(TOKEN)).apiUrl(base.resolve("/api/v1"))
                        .dynDnsUpdateUrl(base.resolve("/update/")).checkIpUrl(base.resolve("/checkip/")).build())
                .clock(clock)
                .retry(RetrySettings.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
                        .withMaxThrottleWait(Duration.ofMillis(300)))
                .build();
    }

    @AfterEach
    void stop() {
        dns.close();
        server.stop();
    }

    private void updateAnswers(int status, String body) {
        server.stubFor(get(urlPathEqualTo("/update/"))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/plain").withBody(body)));
    }

    private static Inet4Address v4(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    @Test
    void goodIsSuccessAndBothFamiliesAreSentWithPreserveForTheMissingOne() throws Exception {
        updateAnswers(200, "good");

        DynDnsOutcome result = dns.updateDynDns(DynDnsUpdate.ipv4(DOMAIN, v4("198.51.100.7")));

        assertThat(result.action()).isEqualTo(DynDnsOutcome.Action.UPDATED);
        String basic = Base64.getEncoder().encodeToString((DOMAIN + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
        server.verify(getRequestedFor(urlPathEqualTo("/update/"))
                .withHeader("Authorization", equalTo("Basic " + basic))
                .withQueryParam("hostname", equalTo(DOMAIN))
                .withQueryParam("myipv4", equalTo("198.51.100.7"))
                .withQueryParam("myipv6", equalTo("preserve")));
    }

    @Test
    void anIpv6OnlyUpdatePreservesIpv4() throws Exception {
        updateAnswers(200, "good\n");
        Inet6Address v6 = (Inet6Address) InetAddress.getByName("2001:db8::7");

        dns.updateDynDns(new DynDnsUpdate("home." + DOMAIN, Optional.empty(), Optional.of(v6)));

        server.verify(getRequestedFor(urlPathEqualTo("/update/"))
                .withQueryParam("hostname", equalTo("home." + DOMAIN))
                .withQueryParam("myipv4", equalTo("preserve"))
                .withQueryParam("myipv6", equalTo("2001:db8:0:0:0:0:0:7")));
    }

    @Test
    void badauthSaysToCheckTheTokenWithoutShowingIt() {
        updateAnswers(401, "badauth");

        assertThatThrownBy(() -> dns.updateDynDns(DynDnsUpdate.ipv4(DOMAIN, v4("198.51.100.7"))))
                .isInstanceOfSatisfying(ProviderServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("badauth").contains("DESEC_TOKEN").doesNotContain(TOKEN);
                });
    }

    @Test
    void nohostNamesTheHostAndTheVariable() {
        updateAnswers(404, "nohost");

        assertThatThrownBy(() -> dns.updateDynDns(DynDnsUpdate.ipv4("other.example.org", v4("198.51.100.7"))))
                .isInstanceOfSatisfying(ProviderServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("nohost").contains("other.example.org").contains("DESEC_DOMAIN");
                });
    }

    @Test
    void badRequestCarriesDesecsPlainTextDetail() {
        updateAnswers(400, "Request does not properly specify domain for update.");

        assertThatThrownBy(() -> dns.updateDynDns(DynDnsUpdate.ipv4(DOMAIN, v4("198.51.100.7"))))
                .isInstanceOfSatisfying(ProviderServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.providerMessage()).contains("Request does not properly specify domain for update.");
                });
    }

    @Test
    void throttledUpdateIsReportedWithItsRetryAfterAndNotResent() throws Exception {
        server.stubFor(get(urlPathEqualTo("/update/")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "60")
                .withBody("Request was throttled. Expected available in 60 seconds.")));

        assertThatThrownBy(() -> dns.updateDynDns(DynDnsUpdate.ipv4(DOMAIN, v4("198.51.100.7"))))
                .isInstanceOfSatisfying(ProviderServiceException.class, e -> {
                    assertThat(e.isThrottling()).isTrue();
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(60));
                    assertThat(e.getMessage()).contains("2 DynDNS updates per 2 minutes");
                });
        assertThat(server.getAllServeEvents()).hasSize(1);
    }

    @Test
    void aFailedUpdateIsSentOnceAndReported() throws Exception {
        updateAnswers(503, "");

        assertThatThrownBy(() -> dns.updateDynDns(DynDnsUpdate.ipv4(DOMAIN, v4("198.51.100.7"))))
                .isInstanceOfSatisfying(ProviderServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
        assertThat(server.getAllServeEvents()).hasSize(1);
    }

    @Test
    void everyUpdateRequestTakesASlotOfTwoPerTwoMinutesFailedOnesIncluded() throws Exception {
        server.stubFor(get(urlPathEqualTo("/update/")).inScenario("u").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("up"));
        server.stubFor(get(urlPathEqualTo("/update/")).inScenario("u").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withBody("good")));
        DynDnsUpdate update = DynDnsUpdate.ipv4(DOMAIN, v4("198.51.100.7"));

        assertThatThrownBy(() -> dns.updateDynDns(update)).isInstanceOf(ProviderServiceException.class);
        clock.advance(Duration.ofSeconds(30));
        assertThat(dns.updateDynDns(update).action()).isEqualTo(DynDnsOutcome.Action.UPDATED);
        clock.advance(Duration.ofSeconds(30));
        assertThatThrownBy(() -> dns.updateDynDns(update))
                .isInstanceOfSatisfying(QuotaExhaustedException.class, e -> {
                    assertThat(e.availableAt()).isEqualTo(Instant.parse("2026-11-24T10:02:00Z"));
                    assertThat(e.getMessage()).contains("2 per PT2M").contains("nothing was sent");
                });
        assertThat(server.getAllServeEvents()).hasSize(2);

        clock.advance(Duration.ofMinutes(1));
        assertThat(dns.updateDynDns(update).action()).isEqualTo(DynDnsOutcome.Action.UPDATED);
        assertThat(server.getAllServeEvents()).hasSize(3);
    }

    @Test
    void throttleThatPersistsIsATypedThrottlingError() {
        updateAnswers(429, "Too many concurrent requests.");

        assertThatThrownBy(() -> dns.updateDynDns(DynDnsUpdate.ipv4(DOMAIN, v4("198.51.100.7"))))
                .isInstanceOfSatisfying(ProviderServiceException.class, e -> {
                    assertThat(e.isThrottling()).isTrue();
                    assertThat(e.getMessage()).contains("2 DynDNS updates per 2 minutes").contains("Too many concurrent requests.");
                });
    }

    @Test
    void anAnswerOtherThanGoodIsNotSuccess() {
        updateAnswers(200, "<html><body>Captive portal login</body></html>");

        assertThatThrownBy(() -> dns.updateDynDns(DynDnsUpdate.ipv4(DOMAIN, v4("198.51.100.7"))))
                .isInstanceOf(ProviderServiceException.class).hasMessageContaining("only 'good'");
    }

    @Test
    void publicIpv4IsReadFromCheckIpAtMostThreeTimesAMinute() throws Exception {
        server.stubFor(get(urlPathEqualTo("/checkip/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain").withBody("203.0.113.9\n")));

        for (int i = 0; i < 3; i++) {
            assertThat(dns.discoverPublicIpv4()).isEqualTo(v4("203.0.113.9"));
        }
        assertThatThrownBy(() -> dns.discoverPublicIpv4())
                .isInstanceOfSatisfying(QuotaExhaustedException.class,
                        e -> assertThat(e.availableAt()).isEqualTo(Instant.parse("2026-11-24T10:01:00Z")));
        assertThat(server.getAllServeEvents()).hasSize(3);

        clock.advance(Duration.ofMinutes(1));
        assertThat(dns.discoverPublicIpv4()).isEqualTo(v4("203.0.113.9"));
    }

    @Test
    void aFailedCheckIpCallIsSentOnceAndCountsTowardsTheLimit() {
        server.stubFor(get(urlPathEqualTo("/checkip/")).willReturn(aResponse().withStatus(503)));

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> dns.discoverPublicIpv4())
                    .isInstanceOfSatisfying(ProviderServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
        }
        assertThatThrownBy(() -> dns.discoverPublicIpv4()).isInstanceOf(QuotaExhaustedException.class);
        assertThat(server.getAllServeEvents()).hasSize(3);
    }

    @Test
    void checkIpAnswerThatIsNotAnAddressIsRefused() {
        server.stubFor(get(urlPathEqualTo("/checkip/")).willReturn(aResponse().withStatus(200).withBody("999.1.1.1")));

        assertThatThrownBy(() -> dns.discoverPublicIpv4())
                .isInstanceOf(ProviderServiceException.class).hasMessageContaining("not an IPv4 address");
    }
}
