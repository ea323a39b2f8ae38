package io.azt3knet.mail.desec;

import io.azt3knet.mail.test.fake.FakeDesec;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.azt3knet.mail.ProviderServiceException;
import io.azt3knet.mail.QuotaExhaustedException;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.dns.DnsRecordSet;
import io.azt3knet.mail.internal.http.RetrySettings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DesecClientTest {

    private static final String TOKEN = "tok-7c1e2b";
    private static final String RRSETS = "/api/v1/domains/example.org/rrsets/";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    private WireMockServer server;
    private DesecClient client;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        client = client(server, Duration.ofMinutes(2));
    }

    private DesecClient client(WireMockServer s, Duration maxQuotaWait) {
        DesecSettings settings = DesecSettings.builder("example.org", Secret.of(TOKEN))
                .apiUrl(URI.create("http://127.0.0.1:" + s.port() + "/api/v1")).maxQuotaWait(maxQuotaWait).build();
        return DesecClient.builder(settings).clock(clock)
                .retry(RetrySettings.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
                        .withMaxThrottleWait(Duration.ofMillis(300))
                        .withMaxRetryAfter(maxQuotaWait))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop();
    }

    @Test
    void domainIsReadWithTokenAuthTrailingSlashAndMinimumTtl() {
        server.stubFor(get("/api/v1/domains/example.org/").willReturn(okJson(
                "{\"created\":\"2026-01-01T00:00:00Z\",\"name\":\"example.org\",\"minimum_ttl\":3600,\"keys\":[]}")));

        DesecDomain d = client.domain("example.org");

        assertThat(d).isEqualTo(new DesecDomain("example.org", 3600));
        server.verify(getRequestedFor(urlEqualTo("/api/v1/domains/example.org/"))
                .withHeader("Authorization", equalTo("Token " + TOKEN)));
    }

    @Test
    void domainOwningANameUsesTheOwnsQnameFilter() {
        server.stubFor(get(urlPathEqualTo("/api/v1/domains/")).withQueryParam("owns_qname", equalTo("mail.example.org"))
                .willReturn(okJson("[{\"name\":\"example.org\",\"minimum_ttl\":60}]")));

        assertThat(client.domainOwning("mail.example.org")).contains(new DesecDomain("example.org", 60));
    }

    @Test
    void moreThan500RecordSetsAreReadPageByPageAfterThePaginationRequiredAnswer() {
        FakeDesec fake = new FakeDesec("example.org", 3600);
        for (int i = 0; i < 1200; i++) {
            fake.seed(DnsRecordSet.of("host" + i, "A", 3600, "192.0.2." + (i % 250)));
        }
        WireMockServer paged = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake));
        paged.start();
        try (DesecClient c = clientWithFakeToken(paged)) {
            paged.stubFor(get(urlPathEqualTo(RRSETS)).willReturn(aResponse().withStatus(500)));

            List<DnsRecordSet> sets = c.recordSets("example.org");

            assertThat(sets).hasSize(1201).extracting(DnsRecordSet::key).doesNotHaveDuplicates()
                    .contains(new DnsRecordSet.Key("host0", "A"), new DnsRecordSet.Key("host1199", "A"));
            assertThat(paged.getAllServeEvents()).extracting(e -> e.getRequest().getUrl()).containsExactlyInAnyOrder(
                    RRSETS, RRSETS + "?cursor=", RRSETS + "?cursor=o500", RRSETS + "?cursor=o1000");
        } finally {
            paged.stop();
        }
    }

    private DesecClient clientWithFakeToken(WireMockServer s) {
        return DesecClient.builder(DesecSettings.builder("example.org", Secret.of(FakeDesec.TOKEN))
                .apiUrl(URI.create("http://127.0.0.1:" + s.port() + "/api/v1")).build()).build();
    }

    @Test
    void paginationLinkToAnotherHostIsNotFollowed() {
        server.stubFor(get(urlEqualTo(RRSETS)).willReturn(okJson("[]")
                .withHeader("Link", "<https://evil.example.net/steal?cursor=x>; rel=\"next\"")));

        assertThatThrownBy(() -> client.recordSets("example.org"))
                .isInstanceOf(ProviderServiceException.class).hasMessageContaining("another origin");
        assertThat(server.getAllServeEvents()).hasSize(1);
    }

    @Test
    void filteredGetSendsSubnameAndTypeWithAnEmptySubnameForTheApex() {
        server.stubFor(get(urlEqualTo(RRSETS + "?subname=&type=TXT")).willReturn(okJson(
                "[{\"subname\":\"\",\"name\":\"example.org.\",\"type\":\"TXT\",\"ttl\":3600,"
                        + "\"records\":[\"\\\"v=spf1 -all\\\"\",\"\\\"other\\\"\"]}]")));

        List<DnsRecordSet> sets = client.recordSets("example.org", Optional.of(""), Optional.of("TXT"));

        assertThat(sets).containsExactly(DnsRecordSet.of("", "TXT", 3600, "v=spf1 -all", "other"));
    }

    @Test
    void singleRecordSetAtTheApexIsAddressedWithAtAndA404IsEmpty() {
        server.stubFor(get("/api/v1/domains/example.org/rrsets/@/MX/").willReturn(okJson(
                "{\"subname\":\"\",\"type\":\"MX\",\"ttl\":3600,\"records\":[\"10 parse.mailjet.com.\"]}")));
        server.stubFor(get("/api/v1/domains/example.org/rrsets/_dmarc/TXT/").willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"detail\":\"Not found.\"}")));

        assertThat(client.recordSet("example.org", "", "MX")).contains(DnsRecordSet.of("", "MX", 3600, "10 parse.mailjet.com."));
        assertThat(client.recordSet("example.org", "_dmarc", "TXT")).isEmpty();
    }

    @Test
    void bulkPatchSendsTheApexAsEmptySubnameAndQuotedSplitTxt() {
        String dkim = "k=rsa; p=" + "Q".repeat(300);
        server.stubFor(patch(urlEqualTo(RRSETS)).willReturn(okJson("[]")));

        client.patchRecordSets("example.org", List.of(
                DnsRecordSet.of("", "MX", 3600, "10 parse.mailjet.com."),
                DnsRecordSet.of("mailjet._domainkey", "TXT", 3600, dkim)));

        server.verify(patchRequestedFor(urlEqualTo(RRSETS))
                .withHeader("Authorization", equalTo("Token " + TOKEN))
                .withRequestBody(equalToJson("[{\"subname\":\"\",\"type\":\"MX\",\"ttl\":3600,\"records\":[\"10 parse.mailjet.com.\"]},"
                        + "{\"subname\":\"mailjet._domainkey\",\"type\":\"TXT\",\"ttl\":3600,\"records\":[\"\\\""
                        + dkim.substring(0, 255) + "\\\" \\\"" + dkim.substring(255) + "\\\"\"]}]")));
    }

    @Test
    void namesThatCouldAlterThePathAreRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> client.domain("../accounts")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.recordSet("example.org", "a/../../x", "TXT")).isInstanceOf(IllegalArgumentException.class);
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void domainsListsEveryDomainOfTheAccount() {
        server.stubFor(get(urlEqualTo("/api/v1/domains/")).willReturn(okJson(
                "[{\"created\":\"2026-02-01T00:00:00Z\",\"name\":\"b.dedyn.io\",\"minimum_ttl\":60},"
                        + "{\"created\":\"2026-01-01T00:00:00Z\",\"name\":\"example.org\",\"minimum_ttl\":3600}]")));

        assertThat(client.domains()).containsExactly(new DesecDomain("b.dedyn.io", 60), new DesecDomain("example.org", 3600));
    }

    @Test
    void bulkPutSendsEveryFieldAndReturnsWhatDesecHolds() {
        server.stubFor(put(urlEqualTo(RRSETS)).willReturn(okJson(
                "[{\"subname\":\"_dmarc\",\"type\":\"TXT\",\"ttl\":3600,\"records\":[\"\\\"v=DMARC1; p=none\\\"\"]}]")));

        List<DnsRecordSet> held = client.putRecordSets("example.org", List.of(DnsRecordSet.of("_dmarc", "TXT", 3600, "v=DMARC1; p=none")));

        assertThat(held).containsExactly(DnsRecordSet.of("_dmarc", "TXT", 3600, "v=DMARC1; p=none"));
        server.verify(putRequestedFor(urlEqualTo(RRSETS)).withRequestBody(equalToJson(
                "[{\"subname\":\"_dmarc\",\"type\":\"TXT\",\"ttl\":3600,\"records\":[\"\\\"v=DMARC1; p=none\\\"\"]}]")));
    }

    @Test
    void emptyBulkWriteMakesNoRequest() {
        assertThat(client.patchRecordSets("example.org", List.of())).isEmpty();
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void bulkValidationErrorsAreMappedToTheRecordSetThatCausedThem() {
        server.stubFor(patch(urlEqualTo(RRSETS)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("[{},{\"ttl\":[\"Ensure this value is greater than or equal to 3600.\"]},{},"
                        + "{\"records\":[\"IP address 10.0.0.1 not allowed.\"]}]")));
        List<DnsRecordSet> sets = List.of(DnsRecordSet.of("", "MX", 3600, "10 a.example.net."),
                DnsRecordSet.of("_dmarc", "TXT", 60, "v=DMARC1; p=none"),
                DnsRecordSet.of("x", "TXT", 3600, "x"), DnsRecordSet.of("mail", "A", 3600, "10.0.0.1"));

        assertThatThrownBy(() -> client.patchRecordSets("example.org", sets))
                .isInstanceOfSatisfying(DesecValidationException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.errors()).containsExactly(
                            new DesecValidationException.RRsetError(new DnsRecordSet.Key("_dmarc", "TXT"),
                                    "ttl: Ensure this value is greater than or equal to 3600."),
                            new DesecValidationException.RRsetError(new DnsRecordSet.Key("mail", "A"),
                                    "records: IP address 10.0.0.1 not allowed."));
                    assertThat(e.getMessage()).contains("_dmarc TXT: ttl: Ensure").contains("mail A: records: IP address");
                });
        assertThat(server.getAllServeEvents()).hasSize(1);
    }

    @Test
    void fieldErrorMapAndDetailBecomeTheProviderMessage() {
        server.stubFor(patch(urlEqualTo(RRSETS)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"non_field_errors\":[\"Expected a list of items but got dict.\"]}")));
        server.stubFor(get("/api/v1/domains/other.org/").willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"detail\":\"Not found.\"}")));

        assertThatThrownBy(() -> client.patchRecordSets("example.org", List.of(DnsRecordSet.of("a", "TXT", 3600, "x"))))
                .isInstanceOfSatisfying(ProviderServiceException.class,
                        e -> assertThat(e.providerMessage()).isEqualTo("Expected a list of items but got dict."));
        assertThatThrownBy(() -> client.domain("other.org"))
                .isInstanceOfSatisfying(ProviderServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.providerMessage()).isEqualTo("Not found.");
                });
    }

    @Test
    void invalidTokenIsReportedWithoutShowingIt() {
        server.stubFor(get(urlEqualTo(RRSETS)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"detail\":\"Invalid token.\"}")));

        assertThatThrownBy(() -> client.recordSets("example.org"))
                .isInstanceOfSatisfying(ProviderServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("Invalid token.").doesNotContain(TOKEN);
                });
    }

    @Test
    void jsonThrottleWithRetryAfterIsWaitedOutAndRetried() {
        server.stubFor(patch(urlEqualTo(RRSETS)).inScenario("throttle").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"detail\":\"Request was throttled. Expected available in 1 second.\"}"))
                .willSetStateTo("open"));
        server.stubFor(patch(urlEqualTo(RRSETS)).inScenario("throttle").whenScenarioStateIs("open")
                .willReturn(okJson("[{\"subname\":\"a\",\"type\":\"TXT\",\"ttl\":3600,\"records\":[\"\\\"x\\\"\"]}]")));

        List<DnsRecordSet> result = client.patchRecordSets("example.org", List.of(DnsRecordSet.of("a", "TXT", 3600, "x")));

        assertThat(result).containsExactly(DnsRecordSet.of("a", "TXT", 3600, "x"));
        assertThat(server.getAllServeEvents()).hasSize(2);
    }

    @Test
    void htmlThrottleWithoutRetryAfterIsBackedOffAndRetried() {
        server.stubFor(get(urlEqualTo(RRSETS)).inScenario("nginx").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "text/html")
                        .withBody("<html><head><title>429 Too Many Requests</title></head><body>slow down</body></html>"))
                .willSetStateTo("open"));
        server.stubFor(get(urlEqualTo(RRSETS)).inScenario("nginx").whenScenarioStateIs("open").willReturn(okJson("[]")));

        assertThat(client.recordSets("example.org")).isEmpty();
        assertThat(server.getAllServeEvents()).hasSize(2);
    }

    @Test
    void htmlThrottleThatPersistsEndsInQuotaExhaustedWithTheStatusText() {
        server.stubFor(get(urlEqualTo(RRSETS)).willReturn(aResponse().withStatus(429).withHeader("Content-Type", "text/html")
                .withBody("<html><body>429 Too Many Requests</body></html>")));

        assertThatThrownBy(() -> client.recordSets("example.org"))
                .isInstanceOfSatisfying(io.azt3knet.mail.QuotaExhaustedException.class, e -> {
                    assertThat(e.isThrottling()).isTrue();
                    assertThat(e.providerMessage()).contains("429 Too Many Requests").contains("HTML");
                });
        assertThat(server.getAllServeEvents()).hasSizeGreaterThan(1); // retried within the throttle budget, then given up
    }

    @Test
    void throttleLongerThanTheMaximumWaitFailsAtOnceWithQuotaExhaustedUntilThen() {
        server.stubFor(patch(urlEqualTo(RRSETS)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3200")
                .withHeader("Content-Type", "application/json")
                .withBody("{\"detail\":\"Request was throttled. Expected available in 3200 seconds.\"}")));

        assertThatThrownBy(() -> client.patchRecordSets("example.org", List.of(DnsRecordSet.of("a", "TXT", 3600, "x"))))
                .isInstanceOfSatisfying(QuotaExhaustedException.class, e -> {
                    assertThat(e.availableAt()).isEqualTo(Instant.parse("2026-11-24T10:53:20Z"));
                    assertThat(e.getMessage()).contains("quota exhausted until 2026-11-24T10:53:20Z");
                });
        assertThat(server.getAllServeEvents()).hasSize(1);
    }
}
