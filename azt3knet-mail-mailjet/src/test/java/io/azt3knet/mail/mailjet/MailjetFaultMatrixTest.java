package io.azt3knet.mail.mailjet;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.ProviderServiceException;
import io.azt3knet.mail.ProviderTransportException;
import io.azt3knet.mail.QuotaExhaustedException;
import io.azt3knet.mail.http.HttpSender;
import io.azt3knet.mail.internal.http.RequestPacer;
import io.azt3knet.mail.internal.http.RetrySettings;
import io.azt3knet.mail.provisioning.DomainRequirements;
import io.azt3knet.mail.provisioning.DomainVerification;
import io.azt3knet.mail.provisioning.MailboxCreation;
import io.azt3knet.mail.provisioning.MailboxRequest;
import io.azt3knet.mail.test.fake.FakeMailjet;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Mailjet rows of the fault matrix in {@code docs/reliability.md} other than the parse route (which
 * {@link MailjetRouteFaultMatrixTest} pins): the catch-all sender's create, the {@code dns} read, the DNS check, and
 * the per-agent API key's create, each through the provisioner on the test kit's {@link FakeMailjet}. One case per
 * cell: the fault is injected on the row's request only, and the case pins the requests sent for it (counted at the
 * {@link HttpSender} and in WireMock's journal), the typed outcome, the backoff pauses before a repeated create, and
 * how many senders or keys exist afterwards: never two.
 *
 * <p>A connection refused is simulated at the {@link HttpSender} seam (the JDK's {@link ConnectException}) for the
 * row's request alone, so that the calls before it still work. A fault that persists shows the bound (5 attempts for
 * a safe call; 4 creates for an unsafe one); a fault that happens once shows what the retry or the re-check does.
 */
class MailjetFaultMatrixTest {

    private static final String DOMAIN = "agents.example.org";
    private static final MailboxAddress JANE = new MailboxAddress("jane.doe.123.20241005123045", DOMAIN);
    private static final int ALWAYS = Integer.MAX_VALUE;
    private static final String MAILJET_500 = "{\"ErrorIdentifier\":\"5c8d6a2e-4b1f-4c55-9a77-0d2f3e1b9a10\","
            + "\"ErrorMessage\":\"Internal Server Error\",\"StatusCode\":500}";

    /** A provider call: its request, and what the test starts from. */
    enum Row {
        /** {@code POST /v3/REST/sender {"Email":"*@domain"}} by {@code prepareDomain}; unsafe: re-checked. */
        SENDER("POST", "/v3/REST/sender"),
        /** {@code GET /v3/REST/dns/{id}} by {@code prepareDomain} on a domain whose sender exists. */
        DNS("GET", "/v3/REST/dns/[^/]+"),
        /** {@code POST /v3/REST/dns/{id}/check} by {@code verifyDomain}; safe: retried. */
        CHECK("POST", "/v3/REST/dns/[^/]+/check"),
        /** {@code POST /v3/REST/apikey} by {@code createMailbox} with per-agent SMTP keys; unsafe: re-checked. */
        API_KEY("POST", "/v3/REST/apikey");

        final String method;
        final Pattern path;

        Row(String method, String pathRegex) {
            this.method = method;
            this.path = Pattern.compile(pathRegex);
        }
    }

    /** A fault, how often it happens, and whether the fake acts (creates) before it. */
    enum Column {
        CONNECTION_REFUSED(null, ALWAYS, false),
        RESET_BEFORE_THE_SERVER_ACTED(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), ALWAYS, false),
        RESET_AFTER_THE_SERVER_ACTED(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), 1, true),
        READ_TIMEOUT_AFTER_THE_SERVER_ACTED(aResponse().withStatus(200).withFixedDelay(2000), 1, true),
        STATUS_500_EMPTY_BODY(aResponse().withStatus(500), ALWAYS, false),
        STATUS_502_HTML(aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                .withBody("<html><body><h1>502 Bad Gateway</h1></body></html>"), 1, false),
        STATUS_429_WITH_RETRY_AFTER(aResponse().withStatus(429).withHeader("Retry-After", "1"), 1, false),
        STATUS_429_WITH_RETRY_AFTER_BEYOND_THE_CAP(aResponse().withStatus(429).withHeader("Retry-After", "3600"), 1,
                false),
        STATUS_429_WITHOUT_RETRY_AFTER(aResponse().withStatus(429), 1, false),
        /** A 2xx cut short: 201 to a POST, 200 to a GET (see {@link #answerFor}). */
        MALFORMED_JSON_AFTER_THE_SERVER_ACTED(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"Count\":1,\"Data\":[{\"ID\":"), 1, true),
        STATUS_401(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"ErrorInfo\":\"\",\"ErrorMessage\":\"API key authentication/authorization failure\","
                        + "\"StatusCode\":401}"), ALWAYS, false),
        STATUS_403(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("{\"ErrorInfo\":\"\",\"ErrorMessage\":\"Forbidden\",\"StatusCode\":403}"), ALWAYS, false);

        final @Nullable ResponseDefinitionBuilder answer;
        final int times;
        final boolean afterActing;

        Column(@Nullable ResponseDefinitionBuilder answer, int times, boolean afterActing) {
            this.answer = answer;
            this.times = times;
            this.afterActing = afterActing;
        }

        ResponseDefinitionBuilder answerFor(Row row) {
            ResponseDefinitionBuilder a = java.util.Objects.requireNonNull(answer);
            return this == MALFORMED_JSON_AFTER_THE_SERVER_ACTED ? a.withStatus(row.method.equals("POST") ? 201 : 200) : a;
        }
    }

    /** The typed outcome: success, or the exception and (for a service error) its status. */
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
     * @param pauses backoff pauses before a repeated create
     * @param exist senders (SENDER row) or API keys (API_KEY row) afterwards; ignored for the other rows
     */
    record Expect(int requests, Outcome outcome, int pauses, int exist) {
    }

    /** A safe call: retried by the HTTP layer; nothing is created. */
    private static Expect safe(int requests, Outcome outcome) {
        return new Expect(requests, outcome, 0, 0);
    }

    /** An unsafe create: requests (creates) sent, pauses before repeated creates, how many exist afterwards. */
    private static Expect create(int requests, Outcome outcome, int pauses, int exist) {
        return new Expect(requests, outcome, pauses, exist);
    }

    /** One expectation per column, in {@link Column} order: the table of docs/reliability.md. */
    private static final Map<Row, List<Expect>> MATRIX = Map.of(
            Row.SENDER, List.of(create(5, Outcome.T, 0, 0), create(4, Outcome.T, 3, 0), create(1, Outcome.OK, 0, 1),
                    create(1, Outcome.OK, 0, 1), create(4, Outcome.s(500), 3, 0), create(2, Outcome.OK, 1, 1),
                    create(2, Outcome.OK, 0, 1), create(1, Outcome.Q, 0, 0), create(2, Outcome.OK, 0, 1),
                    create(1, Outcome.OK, 0, 1), create(1, Outcome.s(401), 0, 0), create(1, Outcome.s(403), 0, 0)),
            Row.DNS, List.of(safe(5, Outcome.T), safe(5, Outcome.T), safe(2, Outcome.OK), safe(2, Outcome.OK),
                    safe(5, Outcome.s(500)), safe(2, Outcome.OK), safe(2, Outcome.OK), safe(1, Outcome.Q),
                    safe(2, Outcome.OK), safe(1, Outcome.s(200)), safe(1, Outcome.s(401)), safe(1, Outcome.s(403))),
            Row.CHECK, List.of(safe(5, Outcome.T), safe(5, Outcome.T), safe(2, Outcome.OK), safe(2, Outcome.OK),
                    safe(5, Outcome.s(500)), safe(2, Outcome.OK), safe(2, Outcome.OK), safe(1, Outcome.Q),
                    safe(2, Outcome.OK), safe(1, Outcome.s(201)), safe(1, Outcome.s(401)), safe(1, Outcome.s(403))),
            Row.API_KEY, List.of(create(5, Outcome.T, 0, 0), create(4, Outcome.T, 3, 0), create(1, Outcome.OK, 0, 1),
                    create(1, Outcome.OK, 0, 1), create(4, Outcome.s(500), 3, 0), create(2, Outcome.OK, 1, 1),
                    create(2, Outcome.OK, 0, 1), create(1, Outcome.Q, 0, 0), create(2, Outcome.OK, 0, 1),
                    create(1, Outcome.OK, 0, 1), create(1, Outcome.s(401), 0, 0), create(1, Outcome.s(403), 0, 0)));

    static Stream<Arguments> cells() {
        return Stream.of(Row.values()).flatMap(row -> Stream.of(Column.values())
                .map(column -> Arguments.of(row, column, MATRIX.get(row).get(column.ordinal()))));
    }

    private final FakeMailjet fake = new FakeMailjet();
    private final AtomicInteger sent = new AtomicInteger();
    private final List<Long> pauses = Collections.synchronizedList(new ArrayList<>());
    /** Waits of the HTTP layer (backoff, Retry-After), in nanoseconds; never slept. */
    private final List<Long> waits = Collections.synchronizedList(new ArrayList<>());
    private @Nullable MailjetProvisioner provisioner;

    @AfterEach
    void stop() {
        if (provisioner != null) {
            provisioner.close();
        }
        fake.stopServer();
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("cells")
    void oneFaultOnOneCall(Row row, Column column, Expect expect) {
        WireMockServer server = fake.startServer();
        if (row == Row.DNS || row == Row.CHECK || row == Row.API_KEY) {
            fake.addDomainSender(DOMAIN, false);
        }
        HttpSender jdk = HttpSender.withConnectTimeout(Duration.ofSeconds(2));
        HttpSender seam = request -> {
            if (matches(row, request.method(), request.uri().getPath())) {
                sent.incrementAndGet();
                if (column == Column.CONNECTION_REFUSED) {
                    throw new ConnectException("Connection refused");
                }
            }
            return jdk.send(request);
        };
        MailjetSettings settings = MailjetFakes.settings(fake).build();
        provisioner = MailjetProvisioner.builder(settings)
                .httpClient(MailjetClient.httpClientBuilder(settings).pacer(RequestPacer.NONE).sender(seam)
                        .retry(RetrySettings.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
                                .withMaxThrottleWait(Duration.ofSeconds(5)))
                        .sleeper(waits::add).requestTimeout(Duration.ofMillis(1000)).build())
                .createRetry(new CreateRetry(4, Duration.ofMillis(250), Duration.ofSeconds(4), pauses::add, () -> 0.5))
                .credentialsMode(row == Row.API_KEY ? MailjetCredentialsMode.perAgent() : MailjetCredentialsMode.account())
                .build();
        if (column.answer != null) {
            if (column.afterActing) {
                fake.afterNext(row.method, row.path.pattern(), column.times, column.answerFor(row));
            } else {
                fake.failNext(row.method, row.path.pattern(), column.times, column.answerFor(row));
            }
        }

        Throwable thrown = catchThrowable(() -> call(row));

        assertThat(Outcome.of(thrown)).as("outcome (%s)", thrown).isEqualTo(expect.outcome());
        assertThat(sent.get()).as("requests sent").isEqualTo(expect.requests());
        long journal = server.getAllServeEvents().stream()
                .filter(e -> matches(row, e.getRequest().getMethod().getName(), e.getRequest().getUrl().split("\\?", 2)[0]))
                .count();
        assertThat(journal).as("requests the server saw")
                .isEqualTo(column == Column.CONNECTION_REFUSED ? 0 : expect.requests());
        assertThat(pauses).as("backoff pauses before a repeated create").hasSize(expect.pauses());
        switch (row) {
            case SENDER -> assertThat(fake.senderCount()).as("senders").isEqualTo(expect.exist());
            case API_KEY -> {
                assertThat(fake.apiKeyCount()).as("API keys").isEqualTo(expect.exist());
                assertThat(fake.routesFor(JANE.value())).as("the route, made before the key").hasSize(1);
            }
            default -> assertThat(fake.senderCount()).as("nothing created").isEqualTo(1);
        }
        if (column == Column.STATUS_429_WITH_RETRY_AFTER) {
            assertThat(waits).as("Retry-After honoured").contains(Duration.ofSeconds(1).toNanos());
        }
        if (thrown != null) {
            assertThat(thrown.getMessage()).doesNotContain(FakeMailjet.SECRET);
        }
    }

    private static boolean matches(Row row, String method, String path) {
        return method.equals(row.method) && row.path.matcher(path).matches();
    }

    private void call(Row row) {
        switch (row) {
            case SENDER, DNS -> {
                DomainRequirements r = provisioner.prepareDomain(DOMAIN);
                assertThat(r.dkim().value()).startsWith("k=rsa; p=");
            }
            case CHECK -> {
                DomainVerification v = provisioner.verifyDomain(DOMAIN);
                assertThat(v.dkim().status()).isEqualTo(DomainVerification.Status.NOT_CHECKED);
            }
            case API_KEY -> {
                MailboxCreation created = provisioner.createMailbox(MailboxRequest.of(JANE));
                assertThat(created.outcome()).isEqualTo(MailboxCreation.Outcome.CREATED);
                assertThat(created.credentials().smtpUsername()).startsWith("subkey");
            }
        }
    }
}
