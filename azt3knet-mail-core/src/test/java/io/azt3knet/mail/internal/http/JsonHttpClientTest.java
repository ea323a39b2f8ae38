package io.azt3knet.mail.internal.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.azt3knet.mail.ProviderServiceException;
import io.azt3knet.mail.ProviderTransportException;
import io.azt3knet.mail.QuotaExhaustedException;
import io.azt3knet.mail.Secret;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import io.azt3knet.mail.internal.util.Sleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JsonHttpClientTest {

    private final WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final Secret token = Secret.of("s3cr3t-token");
    /** What the default client was asked to wait: it records instead of sleeping, so backoff costs no time. */
    private final List<Duration> slept = new CopyOnWriteArrayList<>();
    private JsonHttpClient client;

    @BeforeEach
    void start() {
        server.start();
        client = clientWith(RetrySettings.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
                .withMaxRetryAfter(Duration.ofSeconds(2)), Duration.ofSeconds(10), nanos -> slept.add(Duration.ofNanos(nanos)));
    }

    /** Clients whose throttle budget is measured in real time sleep for real. */
    private JsonHttpClient clientWith(RetrySettings retry) {
        return clientWith(retry, Duration.ofSeconds(10));
    }

    private JsonHttpClient clientWith(RetrySettings retry, Duration requestTimeout) {
        return clientWith(retry, requestTimeout, Sleeper.SYSTEM);
    }

    private JsonHttpClient clientWith(RetrySettings retry, Duration requestTimeout, Sleeper sleeper) {
        return JsonHttpClient.builder("testprov", URI.create(server.baseUrl()))
                .authorization(() -> "Token " + token.reveal())
                .redact(token)
                .requestTimeout(requestTimeout)
                .retry(retry)
                .sleeper(sleeper)
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop();
    }

    private void failThenSucceed(String path, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder failure) {
        server.stubFor(get(path).inScenario("s").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(failure).willSetStateTo("ok"));
        server.stubFor(get(path).inScenario("s").whenScenarioStateIs("ok").willReturn(okJson("{\"ok\":true}")));
    }

    @Test
    void buildsItsJdkClientOnTheFirstRequestAndReusesItAfter() {
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(okJson("{\"Count\":\"1\"}")));
        JsonHttpClient fresh = clientWith(RetrySettings.none());

        assertThat(fresh.senderBuilt()).isFalse();
        assertThat(fresh.send(HttpRequestSpec.get("/items")).json().get("Count").asInt()).isEqualTo(1);
        assertThat(fresh.senderBuilt()).isTrue();
        assertThat(fresh.send(HttpRequestSpec.get("/items")).status()).isEqualTo(200);
        server.verify(2, getRequestedFor(urlPathEqualTo("/items")));
        fresh.close();
    }

    @Test
    void sendsAuthorizationAcceptAndQueryAndReadsJson() {
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(okJson("{\"Count\":\"2\"}")));

        HttpResponseData r = client.send(HttpRequestSpec.get("/items").query("Limit", "1000").query("q", "a b&c"));

        assertThat(r.json().get("Count").asInt()).isEqualTo(2);
        server.verify(getRequestedFor(urlPathEqualTo("/items"))
                .withHeader("Authorization", equalTo("Token s3cr3t-token"))
                .withHeader("Accept", equalTo("application/json"))
                .withQueryParam("Limit", equalTo("1000"))
                .withQueryParam("q", equalTo("a b&c")));
    }

    @Test
    void retriesAfterConnectionReset() {
        failThenSucceed("/r", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        assertThat(client.send(HttpRequestSpec.get("/r")).status()).isEqualTo(200);
        // java.net.http itself may repeat an idempotent GET once on a reset connection: at least our retry happened
        server.verify(com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly(2), getRequestedFor(urlPathEqualTo("/r")));
    }

    @Test
    void retriesEmpty500AndHtml502() {
        failThenSucceed("/e", aResponse().withStatus(500));
        assertThat(client.send(HttpRequestSpec.get("/e")).status()).isEqualTo(200);
        server.resetAll();
        failThenSucceed("/h", aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                .withBody("<html><body>Bad gateway</body></html>"));
        assertThat(client.send(HttpRequestSpec.get("/h")).status()).isEqualTo(200);
        server.verify(2, getRequestedFor(urlPathEqualTo("/h")));
    }

    @Test
    void honoursRetryAfterOn429() {
        failThenSucceed("/t", aResponse().withStatus(429).withHeader("Retry-After", "1")
                .withBody("{\"detail\":\"Request was throttled. Expected available in 1 second.\"}"));
        assertThat(client.send(HttpRequestSpec.get("/t")).status()).isEqualTo(200);
        assertThat(slept).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void backoffBetweenFailedAttemptsGoesThroughTheSleeperAndStaysUnderTheCeiling() {
        server.stubFor(get("/down").willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(() -> client.send(HttpRequestSpec.get("/down"))).isInstanceOf(ProviderServiceException.class);
        int attempts = RetrySettings.defaults().maxAttempts();
        server.verify(attempts, getRequestedFor(urlPathEqualTo("/down")));
        assertThat(slept).hasSize(attempts - 1).allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofMillis(5)));
    }

    @Test
    void anInterruptedBackoffEndsTheRequestAndKeepsTheInterruptFlag() {
        server.stubFor(get("/down").willReturn(aResponse().withStatus(503)));
        JsonHttpClient interrupted = clientWith(RetrySettings.defaults(), Duration.ofSeconds(10), nanos -> {
            throw new InterruptedException();
        });
        try {
            assertThatThrownBy(() -> interrupted.send(HttpRequestSpec.get("/down")))
                    .isInstanceOf(ProviderTransportException.class);
            assertThat(Thread.interrupted()).isTrue();
            server.verify(1, getRequestedFor(urlPathEqualTo("/down")));
        } finally {
            interrupted.close();
        }
    }

    @Test
    void retries429WithoutRetryAfterEvenForPost() {
        server.stubFor(post("/p").inScenario("s").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "text/html").withBody("<html>429</html>"))
                .willSetStateTo("ok"));
        server.stubFor(post("/p").inScenario("s").whenScenarioStateIs("ok").willReturn(okJson("{}").withStatus(201)));
        assertThat(client.send(HttpRequestSpec.post("/p", Map.of("a", 1))).status()).isEqualTo(201);
        server.verify(2, postRequestedFor(urlPathEqualTo("/p")));
    }

    @Test
    void retryAfterBeyondTheCapFailsWithQuotaExhaustedInsteadOfSleeping() {
        server.stubFor(get("/q").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")
                .withBody("{\"detail\":\"Request was throttled. Expected available in 3600 seconds.\"}")));
        assertThatThrownBy(() -> client.send(HttpRequestSpec.get("/q")))
                .isInstanceOf(QuotaExhaustedException.class)
                .hasMessageContaining("quota exhausted until")
                .satisfies(e -> assertThat(((QuotaExhaustedException) e).availableAt())
                        .isAfter(java.time.Instant.now().plus(Duration.ofMinutes(59))));
        server.verify(1, getRequestedFor(urlPathEqualTo("/q")));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"100000000000000000", "99999999999999999999999999",
            "9223372036854775807"})
    void anAbsurdRetryAfterIsTheTypedQuotaErrorNeverADateOverflow(String retryAfter) {
        server.stubFor(get("/q").willReturn(aResponse().withStatus(429).withHeader("Retry-After", retryAfter)));

        assertThatThrownBy(() -> client.send(HttpRequestSpec.get("/q")))
                .isInstanceOfSatisfying(QuotaExhaustedException.class, e -> {
                    assertThat(e.availableAt()).isAfter(java.time.Instant.now().plus(Duration.ofDays(3650)));
                    assertThat(e.getMessage()).contains(": quota exhausted until ");
                });
        server.verify(1, getRequestedFor(urlPathEqualTo("/q")));
    }

    @Test
    void theThrottleBudgetIsSharedByAllRequestsOfTheClient() throws Exception {
        server.stubFor(get("/never").willReturn(aResponse().withStatus(429)));
        JsonHttpClient patient = clientWith(RetrySettings.defaults().withBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
                .withMaxThrottleWait(Duration.ofMillis(400)));
        try {
            assertThatThrownBy(() -> patient.send(HttpRequestSpec.get("/never")))
                    .isInstanceOf(QuotaExhaustedException.class).hasMessageContaining("quota exhausted until")
                    .hasMessageContaining("throttle budget");
            int before = server.getAllServeEvents().size();
            // the stretch of 429s goes on: a later request does not get a budget of its own, it fails at its first 429
            assertThatThrownBy(() -> patient.send(HttpRequestSpec.get("/never"))).isInstanceOf(QuotaExhaustedException.class);
            assertThat(server.getAllServeEvents().size() - before).isEqualTo(1);
            // any other answer starts the count again
            server.stubFor(get("/fine").willReturn(okJson("{}")));
            patient.send(HttpRequestSpec.get("/fine"));
            server.stubFor(get("/once").inScenario("o").whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(aResponse().withStatus(429)).willSetStateTo("ok"));
            server.stubFor(get("/once").inScenario("o").whenScenarioStateIs("ok").willReturn(okJson("{}")));
            assertThat(patient.send(HttpRequestSpec.get("/once")).status()).isEqualTo(200);
        } finally {
            patient.close();
        }
    }

    @Test
    void aRetryAfterBeyondTheCapIsNeverSleptWhateverTheStatus() {
        server.stubFor(get("/maint").willReturn(aResponse().withStatus(503).withHeader("Retry-After", "3600")));
        assertThatThrownBy(() -> client.send(HttpRequestSpec.get("/maint")))
                .isInstanceOfSatisfying(ProviderServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.retryAfter()).contains(Duration.ofHours(1));
                });
        server.verify(1, getRequestedFor(urlPathEqualTo("/maint")));
    }

    @Test
    void throttlingHasItsOwnTimeBudgetSoThatMore429sThanAttemptsStillSucceed() {
        for (int i = 0; i < 8; i++) {
            server.stubFor(get("/busy").inScenario("t").whenScenarioStateIs(i == 0 ? Scenario.STARTED : "s" + i)
                    .willReturn(aResponse().withStatus(429)).willSetStateTo("s" + (i + 1)));
        }
        server.stubFor(get("/busy").inScenario("t").whenScenarioStateIs("s8").willReturn(okJson("{}")));

        assertThat(client.send(HttpRequestSpec.get("/busy")).status()).isEqualTo(200); // 5 attempts for failures
        server.verify(9, getRequestedFor(urlPathEqualTo("/busy")));
    }

    @Test
    void throttlingPastItsBudgetFailsAsThrottled() {
        server.stubFor(get("/never").willReturn(aResponse().withStatus(429)));
        // a budget of many backoffs, so that a slow first exchange on a loaded machine still leaves room for a retry
        JsonHttpClient patient = clientWith(RetrySettings.defaults().withBackoff(Duration.ofMillis(20), Duration.ofMillis(50))
                .withMaxThrottleWait(Duration.ofMillis(1500)));
        try {
            assertThatThrownBy(() -> patient.send(HttpRequestSpec.get("/never")))
                    .isInstanceOfSatisfying(ProviderServiceException.class, e -> assertThat(e.isThrottling()).isTrue());
        } finally {
            patient.close();
        }
        assertThat(server.countRequestsMatching(getRequestedFor(urlPathEqualTo("/never")).build()).getCount())
                .isGreaterThan(1);
    }

    @Test
    void aClosedClientSaysSo() {
        JsonHttpClient closed = clientWith(RetrySettings.none());
        closed.close();
        assertThatThrownBy(() -> closed.send(HttpRequestSpec.get("/x"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void doesNotRepeatAPostAfterAnAmbiguousFailure() {
        server.stubFor(post("/x").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThatThrownBy(() -> client.send(HttpRequestSpec.post("/x", Map.of())))
                .isInstanceOf(ProviderTransportException.class);
        server.verify(1, postRequestedFor(urlPathEqualTo("/x")));

        server.stubFor(post("/y").willReturn(aResponse().withStatus(500)));
        assertThatThrownBy(() -> client.send(HttpRequestSpec.post("/y", Map.of())))
                .isInstanceOf(ProviderServiceException.class);
        server.verify(1, postRequestedFor(urlPathEqualTo("/y")));
    }

    @Test
    void repeatsAPostTheCallerDeclaredSafe() {
        server.stubFor(post("/z").inScenario("s").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("ok"));
        server.stubFor(post("/z").inScenario("s").whenScenarioStateIs("ok").willReturn(okJson("{}")));
        assertThat(client.send(HttpRequestSpec.post("/z", Map.of()).retrySafe(true)).status()).isEqualTo(200);
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastStatus() {
        server.stubFor(get("/down").willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(() -> client.send(HttpRequestSpec.get("/down")))
                .isInstanceOfSatisfying(ProviderServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.providerMessage()).isEqualTo("HTTP 503 Service Unavailable (empty body)");
                });
        server.verify(5, getRequestedFor(urlPathEqualTo("/down")));
    }

    @Test
    void timesOutASlowResponseAndRetriesIt() {
        failThenSucceed("/slow", okJson("{}").withFixedDelay(3000));
        JsonHttpClient impatient = clientWith(RetrySettings.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(5)),
                Duration.ofMillis(800));
        try {
            assertThat(impatient.send(HttpRequestSpec.get("/slow")).status()).isEqualTo(200);
        } finally {
            impatient.close();
        }
        server.verify(2, getRequestedFor(urlPathEqualTo("/slow")));
    }

    @Test
    void aSlowResponseThatNeverRecoversIsATransportError() {
        server.stubFor(get("/slow").willReturn(okJson("{}").withFixedDelay(3000)));
        JsonHttpClient once = clientWith(RetrySettings.none(), Duration.ofMillis(800));
        try {
            assertThatThrownBy(() -> once.send(HttpRequestSpec.get("/slow")))
                    .isInstanceOf(ProviderTransportException.class)
                    .hasMessageContaining("HttpTimeoutException");
        } finally {
            once.close();
        }
    }

    @Test
    void connectionRefusedIsRetriedEvenForPostAndThenATransportError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        JsonHttpClient dead = JsonHttpClient.builder("testprov", URI.create("http://127.0.0.1:" + port))
                .retry(RetrySettings.defaults().withMaxAttempts(2).withBackoff(Duration.ZERO, Duration.ZERO)).build();
        try {
            assertThatThrownBy(() -> dead.send(HttpRequestSpec.post("/a", Map.of())))
                    .isInstanceOf(ProviderTransportException.class)
                    .hasMessageContaining("no answer from testprov to POST /a on 127.0.0.1:" + port);
        } finally {
            dead.close();
        }
    }

    @Test
    void errorMessagesComeFromTheProviderBodyAndNeverShowSecrets() {
        server.stubFor(get("/bad").willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"ErrorInfo\":\"\",\"ErrorMessage\":\"Invalid token s3cr3t-token\",\"StatusCode\":400}")));
        assertThatThrownBy(() -> client.send(HttpRequestSpec.get("/bad")))
                .isInstanceOfSatisfying(ProviderServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.providerMessage()).isEqualTo("Invalid token ****");
                    assertThat(e.isRetryable()).isFalse();
                })
                .message().doesNotContain("s3cr3t");
    }

    @Test
    void htmlAndEmptyErrorBodiesKeepTheStatus() {
        server.stubFor(get("/html").willReturn(aResponse().withStatus(404).withHeader("Content-Type", "text/html")
                .withBody("<!DOCTYPE html><html><body>Not here</body></html>")));
        assertThatThrownBy(() -> client.send(HttpRequestSpec.get("/html")))
                .hasMessageContaining("HTTP 404 Not Found (HTML body)");
        server.stubFor(get("/empty").willReturn(aResponse().withStatus(400)));
        assertThatThrownBy(() -> client.send(HttpRequestSpec.get("/empty")))
                .hasMessageContaining("HTTP 400 Bad Request (empty body)");
    }

    @Test
    void notModifiedIsASuccess() {
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put("/u").willReturn(aResponse().withStatus(304)));
        assertThat(client.send(HttpRequestSpec.put("/u", Map.of("Url", "x"))).status()).isEqualTo(304);
    }

    @Test
    void refusesPlainHttpToANonLoopbackHost() {
        assertThatThrownBy(() -> JsonHttpClient.builder("p", URI.create("http://api.example.org")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("https://");
    }

    @Test
    void backoffUsesFullJitterUnderAnExponentialCeiling() {
        RetrySettings r = RetrySettings.defaults().withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        assertThat(r.backoff(1, 0.999)).isEqualTo(Duration.ofMillis(99));
        assertThat(r.backoff(3, 0.5)).isEqualTo(Duration.ofMillis(200));
        assertThat(r.backoff(10, 0.999)).isEqualTo(Duration.ofMillis(999));
        assertThat(r.backoff(10, 0.0)).isEqualTo(Duration.ZERO);
    }

    @Test
    void readsAResponseBodyOnlyUpToTheCapDeclaredOrStreamed() {
        JsonHttpClient capped = JsonHttpClient.builder("testprov", URI.create(server.baseUrl())).maxResponseBytes(1024)
                .retry(RetrySettings.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(5))).build();
        String big = "{\"x\":\"" + "a".repeat(4096) + "\"}";
        server.stubFor(get(urlPathEqualTo("/declared")).willReturn(okJson(big)));
        server.stubFor(get(urlPathEqualTo("/chunked")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(big).withChunkedDribbleDelay(4, 10)));
        server.stubFor(get(urlPathEqualTo("/small")).willReturn(okJson("{\"ok\":true}")));
        try (capped) {
            for (String path : List.of("/declared", "/chunked")) {
                assertThatThrownBy(() -> capped.send(HttpRequestSpec.get(path)))
                        .as(path).isInstanceOf(ProviderTransportException.class).hasMessageContaining("larger than 1024");
                server.verify(1, getRequestedFor(urlPathEqualTo(path))); // not retried
            }
            assertThat(capped.send(HttpRequestSpec.get("/small")).json().get("ok").asBoolean()).isTrue();
        }
        assertThat(JsonHttpClient.DEFAULT_MAX_RESPONSE_BYTES).isEqualTo(16L * 1024 * 1024);
    }
}
