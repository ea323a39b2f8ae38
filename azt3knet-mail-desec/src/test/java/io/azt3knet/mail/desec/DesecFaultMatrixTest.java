package io.azt3knet.mail.desec;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.fasterxml.jackson.databind.JsonNode;
import io.azt3knet.mail.ProviderServiceException;
import io.azt3knet.mail.ProviderTransportException;
import io.azt3knet.mail.QuotaExhaustedException;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.dns.DnsRecordSet;
import io.azt3knet.mail.dns.DynDnsUpdate;
import io.azt3knet.mail.http.HttpSender;
import io.azt3knet.mail.internal.http.RetrySettings;
import io.azt3knet.mail.test.fake.FakeDesec;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deSEC rows of the fault matrix in {@code docs/reliability.md} (deSEC read, bulk write, DynDNS update,
 * check-IP), one case per cell, on the test kit's {@link FakeDesec}: the fault is injected on the row's request, and
 * the case pins how many requests were sent (counted by the sender and by WireMock's journal), the typed outcome,
 * and whether the server's state changed (the record set written, the address updated), so that nothing is written
 * twice or silently lost. A fault that persists shows the bound (5 attempts for the REST calls, 1 for DynDNS and
 * check-IP); a fault that happens once (a reset after acting, a timeout, a 429) shows what a retry does. Every wait
 * of the REST client (backoff, {@code Retry-After}, rate limits) is recorded instead of slept; what takes time are the
 * timeouts (1 s each).
 */
class DesecFaultMatrixTest {

    private static final String DOMAIN = "agents.dedyn.io";
    private static final String RRSETS = "/api/v1/domains/" + DOMAIN + "/rrsets/";
    /** Long enough for a loaded machine to answer, short enough for the timeout cases to stay quick. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1000);
    private static final String BROKEN_JSON = "[{\"subname\":\"_dmarc\",\"type\":";
    private static final DnsRecordSet DMARC = DnsRecordSet.of("_dmarc", "TXT", 3600, "v=DMARC1; p=none");

    /** A provider call: its request, and how the test makes it and sees its effect. */
    enum Row {
        READ("GET", RRSETS),
        BULK_WRITE("PATCH", RRSETS),
        DYNDNS("GET", "/update/"),
        CHECK_IP("GET", "/checkip/");

        final String method;
        final String path;

        Row(String method, String path) {
            this.method = method;
            this.path = path;
        }
    }

    /** A fault: how it is injected on the row's request (after acting: the fake changes its state first). */
    enum Column {
        CONNECTION_REFUSED(null, 0, false),
        RESET_BEFORE_THE_SERVER_ACTED(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), Integer.MAX_VALUE, false),
        RESET_AFTER_THE_SERVER_ACTED(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), 1, true),
        READ_TIMEOUT(aResponse().withStatus(200).withFixedDelay(2000), 1, false),
        STATUS_500_EMPTY_BODY(aResponse().withStatus(500), Integer.MAX_VALUE, false),
        STATUS_502_HTML(aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                .withBody("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
                        + "</center><hr><center>nginx</center></body></html>"), Integer.MAX_VALUE, false),
        STATUS_429_WITH_RETRY_AFTER(aResponse().withStatus(429).withHeader("Retry-After", "1")
                .withHeader("Content-Type", "application/json")
                .withBody("{\"detail\":\"Request was throttled. Expected available in 1 second.\"}"), 1, false),
        STATUS_429_WITH_RETRY_AFTER_BEYOND_THE_CAP(aResponse().withStatus(429).withHeader("Retry-After", "3600")
                .withHeader("Content-Type", "application/json")
                .withBody("{\"detail\":\"Request was throttled. Expected available in 3600 seconds.\"}"), 1, false),
        STATUS_429_WITHOUT_RETRY_AFTER(aResponse().withStatus(429).withHeader("Content-Type", "text/html")
                .withBody("<html><body><h1>429 Too Many Requests</h1></body></html>"), 1, false),
        MALFORMED_JSON(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(BROKEN_JSON),
                1, true),
        STATUS_401(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"detail\":\"Invalid token.\"}"), Integer.MAX_VALUE, false),
        STATUS_403(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("{\"detail\":\"You do not have permission to perform this action.\"}"), Integer.MAX_VALUE, false);

        final @Nullable ResponseDefinitionBuilder answer;
        final int times;
        final boolean afterActing;

        Column(@Nullable ResponseDefinitionBuilder answer, int times, boolean afterActing) {
            this.answer = answer;
            this.times = times;
            this.afterActing = afterActing;
        }
    }

    /** The typed outcome of a call: success, or the exception class and (for a service error) its status. */
    record Outcome(String kind, int status) {
        static final Outcome OK = new Outcome("ok", 0);
        static final Outcome T = new Outcome("transport", 0);
        static final Outcome Q = new Outcome("quota", 429);

        static Outcome s(int status) {
            return new Outcome("service", status);
        }

        static Outcome of(@Nullable Throwable thrown) {
            if (thrown == null) {
                return OK;
            }
            if (thrown instanceof QuotaExhaustedException) {
                return Q;
            }
            if (thrown instanceof ProviderServiceException s) {
                return s(s.statusCode());
            }
            if (thrown instanceof ProviderTransportException) {
                return T;
            }
            throw new AssertionError("an untyped failure: " + thrown, thrown);
        }
    }

    /**
     * @param requests requests sent for the row's call
     * @param outcome the typed outcome
     * @param acted whether the server's state holds the call's effect afterwards (write and DynDNS rows)
     */
    record Expect(int requests, Outcome outcome, boolean acted) {
    }

    private static Expect e(int requests, Outcome outcome) {
        return new Expect(requests, outcome, false);
    }

    private static Expect acted(int requests, Outcome outcome) {
        return new Expect(requests, outcome, true);
    }

    /** The matrix: one expectation per column, in {@link Column} order; it is the table of docs/reliability.md. */
    private static final Map<Row, List<Expect>> MATRIX = Map.of(
            Row.READ, List.of(e(5, Outcome.T), e(5, Outcome.T), e(2, Outcome.OK), e(2, Outcome.OK),
                    e(5, Outcome.s(500)), e(5, Outcome.s(502)), e(2, Outcome.OK), e(1, Outcome.Q), e(2, Outcome.OK),
                    e(1, Outcome.s(200)), e(1, Outcome.s(401)), e(1, Outcome.s(403))),
            Row.BULK_WRITE, List.of(e(5, Outcome.T), e(5, Outcome.T), acted(2, Outcome.OK), acted(2, Outcome.OK),
                    e(5, Outcome.s(500)), e(5, Outcome.s(502)), acted(2, Outcome.OK), e(1, Outcome.Q),
                    acted(2, Outcome.OK), acted(1, Outcome.s(200)), e(1, Outcome.s(401)), e(1, Outcome.s(403))),
            Row.DYNDNS, List.of(e(1, Outcome.T), e(1, Outcome.T), acted(1, Outcome.T), e(1, Outcome.T),
                    e(1, Outcome.s(500)), e(1, Outcome.s(502)), e(1, Outcome.s(429)), e(1, Outcome.Q),
                    e(1, Outcome.s(429)), acted(1, Outcome.s(200)), e(1, Outcome.s(401)), e(1, Outcome.s(403))),
            Row.CHECK_IP, List.of(e(1, Outcome.T), e(1, Outcome.T), e(1, Outcome.T), e(1, Outcome.T),
                    e(1, Outcome.s(500)), e(1, Outcome.s(502)), e(1, Outcome.s(429)), e(1, Outcome.Q),
                    e(1, Outcome.s(429)), e(1, Outcome.s(200)), e(1, Outcome.s(401)), e(1, Outcome.s(403))));

    static Stream<Arguments> cells() {
        return Stream.of(Row.values()).flatMap(row -> Stream.of(Column.values())
                .map(column -> Arguments.of(row, column, MATRIX.get(row).get(column.ordinal()))));
    }

    private final FakeDesec fake = new FakeDesec(DOMAIN, 3600);
    private final AtomicInteger sent = new AtomicInteger();
    /** Waits the REST client asked for (backoff, Retry-After, rate limits), in nanoseconds; never slept. */
    private final List<Long> waits = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private @Nullable DesecDnsManager dns;

    @AfterEach
    void stop() {
        if (dns != null) {
            dns.close();
        }
        fake.stopServer();
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("cells")
    void oneFaultOnOneCall(Row row, Column column, Expect expect) throws Exception {
        WireMockServer server = fake.startServer();
        URI base = column == Column.CONNECTION_REFUSED ? URI.create("http://127.0.0.1:" + closedPort())
                : URI.create(server.baseUrl());
        HttpSender jdk = HttpSender.withConnectTimeout(Duration.ofSeconds(2));
        HttpSender counting = request -> {
            if (request.method().equals(row.method) && request.uri().getPath().equals(row.path)) {
                sent.incrementAndGet();
            }
            return jdk.send(new HttpSender.Request(request.method(), request.uri(), request.headers(), request.body(),
                    REQUEST_TIMEOUT));
        };
        dns = DesecDnsManager.builder(DesecSettings.builder(DOMAIN, Secret.of(FakeDesec.TOKEN))
                        .apiUrl(base.resolve("/api/v1")).dynDnsUpdateUrl(base.resolve("/update/"))
                        .checkIpUrl(base.resolve("/checkip/")).build())
                .httpSender(counting)
                .retry(RetrySettings.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
                        .withMaxThrottleWait(Duration.ofSeconds(5)))
                .sleeper(waits::add)
                .build();
        if (column.answer != null) {
            String path = java.util.regex.Pattern.quote(row.path);
            if (column.afterActing) {
                fake.afterNext(row.method, path, column.times, column.answer);
            } else {
                fake.failNext(row.method, path, column.times, column.answer);
            }
        }

        Throwable thrown = catchThrowable(() -> call(row));

        assertThat(Outcome.of(thrown)).as("outcome (%s)", thrown).isEqualTo(expect.outcome());
        assertThat(sent.get()).as("requests sent").isEqualTo(expect.requests());
        long journal = server.getAllServeEvents().stream().filter(ev -> ev.getRequest().getMethod().getName()
                .equals(row.method) && ev.getRequest().getUrl().split("\\?", 2)[0].equals(row.path)).count();
        assertThat(journal).as("requests the server saw")
                .isEqualTo(column == Column.CONNECTION_REFUSED ? 0 : expect.requests());
        switch (row) {
            case BULK_WRITE -> {
                JsonNode stored = fake.stored("_dmarc", "TXT");
                if (expect.acted()) {
                    assertThat(stored).as("the record set, written once").isNotNull();
                    assertThat(stored.get("records")).hasSize(1);
                    assertThat(stored.get("records").get(0).asText()).isEqualTo("\"v=DMARC1; p=none\"");
                } else {
                    assertThat(stored).as("nothing written").isNull();
                }
            }
            case DYNDNS -> {
                JsonNode a = fake.stored("", "A");
                if (expect.acted()) {
                    assertThat(a).as("the address, updated").isNotNull();
                    assertThat(a.get("records").get(0).asText()).isEqualTo("198.51.100.7");
                } else {
                    assertThat(a).as("nothing updated").isNull();
                }
            }
            default -> {
                // reads change nothing
            }
        }
        if (column == Column.STATUS_429_WITH_RETRY_AFTER && (row == Row.READ || row == Row.BULK_WRITE)) {
            assertThat(waits).as("Retry-After honoured").contains(Duration.ofSeconds(1).toNanos());
        }
        if (thrown != null) {
            assertThat(thrown.getMessage()).doesNotContain(FakeDesec.TOKEN);
        }
        if (expect.outcome().equals(Outcome.s(401)) && row != Row.CHECK_IP) {
            assertThat(thrown.getMessage()).contains(DesecSettings.TOKEN);
        }
    }

    private void call(Row row) throws Exception {
        switch (row) {
            case READ -> assertThat(dns.recordSets(DOMAIN)).extracting(DnsRecordSet::type).contains("NS");
            case BULK_WRITE -> assertThat(dns.client().patchRecordSets(DOMAIN, List.of(DMARC))).containsExactly(DMARC);
            case DYNDNS -> dns.updateDynDns(DynDnsUpdate.ipv4(DOMAIN, (Inet4Address) InetAddress.getByName("198.51.100.7")));
            case CHECK_IP -> assertThat(dns.discoverPublicIpv4().getHostAddress()).isEqualTo("198.51.100.1");
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
