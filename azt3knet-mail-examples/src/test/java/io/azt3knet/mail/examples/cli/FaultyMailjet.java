package io.azt3knet.mail.examples.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.azt3knet.mail.test.fake.FakeMailjet;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The test kit's stateful {@link FakeMailjet} behind a WireMock server of this test's own, with faults in front:
 * a seeded share of all calls fails before the fake sees them (a 500 with Mailjet's {@code ErrorIdentifier}, a 502
 * HTML page, a reset connection) or after it acted (the route is recorded, then the answer is a 500 or lost).
 * Route creation can also fail on every call, or hang past the client's timeout. The fake lives in the test JVM,
 * so its state outlives the command-line processes that talk to it.
 */
final class FaultyMailjet implements ResponseDefinitionTransformerV2, AutoCloseable {

    /** What the next matching calls get. */
    enum RouteCreates {
        /** the fake answers */
        NORMAL,
        /** a 500 with an {@code ErrorIdentifier}, nothing recorded */
        FAIL_500,
        /** no answer within any reasonable timeout, nothing recorded */
        HANG
    }

    /** How long a hanging answer is held: far past the timeouts the tests configure, short enough to stop cleanly. */
    static final Duration HANG = Duration.ofSeconds(10);

    final FakeMailjet fake = new FakeMailjet();
    private final WireMockServer server;
    private final Object lock = new Object();
    private Random random = new Random(0);
    private double faultRate;
    private RouteCreates routeCreates = RouteCreates.NORMAL;
    private int faultsServed;
    private int routeCreatesRefused;

    FaultyMailjet() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(64)
                .extensions(this));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
    }

    @Override
    public String getName() {
        return "faulty-mailjet";
    }

    /** @return the value for {@code MAILJET_API_URL} */
    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /**
     * @param rate the share of calls that fail, 0 to 1
     * @param seed the seed of which calls and how
     */
    void faults(double rate, long seed) {
        synchronized (lock) {
            this.faultRate = rate;
            this.random = new Random(seed);
        }
    }

    /** @param mode what route creations get from now on */
    void routeCreates(RouteCreates mode) {
        synchronized (lock) {
            this.routeCreates = mode;
        }
    }

    /** @return the faults served so far */
    int faultsServed() {
        synchronized (lock) {
            return faultsServed;
        }
    }

    /** @return the route creations answered by {@link #routeCreates(RouteCreates)} instead of the fake */
    int routeCreatesRefused() {
        synchronized (lock) {
            return routeCreatesRefused;
        }
    }

    /**
     * @param overrides variables to add or replace
     * @return the environment a command line needs for {@code populate --create-mailboxes} against this fake
     */
    Map<String, String> env(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("DESEC_DOMAIN", ProviderFakes.DOMAIN);
        env.put("MAILJET_API_KEY", FakeMailjet.KEY);
        env.put("MAILJET_API_SECRET", FakeMailjet.SECRET);
        env.put("MAILJET_API_URL", baseUrl().toString());
        env.put("MAILJET_INBOUND_URL", ProviderFakes.INBOUND_URL);
        env.put("MAILJET_INBOUND_SECRET", ProviderFakes.INBOUND_SECRET);
        env.putAll(overrides);
        return env;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Request request = event.getRequest();
        boolean routeCreate = request.getMethod().getName().equals("POST")
                && URI.create(request.getUrl()).getPath().equals("/v3/REST/parseroute");
        int fault;
        synchronized (lock) {
            if (routeCreate && routeCreates != RouteCreates.NORMAL) {
                routeCreatesRefused++;
                return routeCreates == RouteCreates.FAIL_500 ? serverError()
                        : ResponseDefinitionBuilder.like(serverError()).withFixedDelay((int) HANG.toMillis()).build();
            }
            fault = random.nextDouble() < faultRate ? random.nextInt(5) : -1;
            if (fault >= 0) {
                faultsServed++;
            }
        }
        return switch (fault) {
            case 0 -> serverError();
            case 1 -> ResponseDefinitionBuilder.responseDefinition().withStatus(502)
                    .withHeader("Content-Type", "text/html").withBody("<html><body><h1>502 Bad Gateway</h1></body></html>")
                    .build();
            case 2 -> ResponseDefinitionBuilder.responseDefinition().withFault(Fault.CONNECTION_RESET_BY_PEER).build();
            case 3 -> {
                fake.transform(event); // acted, then the answer is a 500
                yield serverError();
            }
            case 4 -> {
                fake.transform(event); // acted, then the connection drops before the answer
                yield ResponseDefinitionBuilder.responseDefinition().withFault(Fault.CONNECTION_RESET_BY_PEER).build();
            }
            default -> fake.transform(event);
        };
    }

    /** Mailjet's documented 500: a JSON body with an {@code ErrorIdentifier} to quote to support. */
    private static ResponseDefinition serverError() {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(500).withHeader("Content-Type", "application/json")
                .withBody("{\"ErrorInfo\":\"\",\"ErrorMessage\":\"Internal Server Error\",\"StatusCode\":500,"
                        + "\"ErrorIdentifier\":\"" + UUID.randomUUID() + "\"}")
                .build();
    }

    @Override
    public void close() {
        server.stop();
    }
}
