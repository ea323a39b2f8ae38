package io.azt3knet.mail.mailjet;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.ProviderServiceException;
import io.azt3knet.mail.ProviderTransportException;
import io.azt3knet.mail.QuotaExhaustedException;
import io.azt3knet.mail.http.HttpSender;
import io.azt3knet.mail.internal.http.RequestPacer;
import io.azt3knet.mail.internal.http.RetrySettings;
import io.azt3knet.mail.provisioning.MailboxCreation;
import io.azt3knet.mail.provisioning.MailboxRequest;
import io.azt3knet.mail.test.fake.FakeMailjet;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The "Mailjet parse route" row of the fault matrix in {@code docs/reliability.md}: one fault on the create of a
 * route, and what the provisioner does about it, pinned per column. Every case ends with at most one route for the
 * address; the outcome says whether the mailbox exists.
 */
class MailjetRouteFaultMatrixTest {

    private static final MailboxAddress JANE = new MailboxAddress("jane.doe.123.20241005123045", "agents.example.org");
    private static final String MAILJET_500 = "{\"ErrorIdentifier\":\"5c8d\",\"ErrorMessage\":\"Internal Server Error\",\"StatusCode\":500}";

    /** A column of the matrix: the fault, whether the server acted first, and what must follow. */
    enum Column {
        /** Simulated at the HttpSender seam for the route creates alone: the JDK's ConnectException. */
        CONNECTION_REFUSED(f -> { }, Expect.neverSent(5)),
        RESET_BEFORE_THE_SERVER_ACTED(f -> f.failNextRouteCreate(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)),
                Expect.created(2, 1, 1)),
        RESET_AFTER_THE_SERVER_ACTED(f -> f.afterNextRouteCreate(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)),
                Expect.created(1, 1, 0)),
        EMPTY_RESPONSE_AFTER_THE_SERVER_ACTED(f -> f.afterNextRouteCreate(aResponse().withFault(Fault.EMPTY_RESPONSE)),
                Expect.created(1, 1, 0)),
        READ_TIMEOUT_AFTER_THE_SERVER_ACTED(f -> f.afterNextRouteCreate(okCreated().withFixedDelay(1500)),
                Expect.created(1, 1, 0)),
        READ_TIMEOUT_BEFORE_THE_SERVER_ACTED(f -> f.failNextRouteCreate(aResponse().withStatus(504).withFixedDelay(1500)),
                Expect.created(2, 1, 1)),
        STATUS_500_EMPTY_BODY(f -> f.failNextRouteCreate(500, ""), Expect.created(2, 1, 1)),
        STATUS_500_WITH_ERROR_IDENTIFIER_AFTER_THE_SERVER_ACTED(f -> f.afterNextRouteCreate(500, MAILJET_500),
                Expect.created(1, 1, 0)),
        STATUS_502_HTML(f -> f.failNextRouteCreate(502, "<html><body><h1>502 Bad Gateway</h1></body></html>"),
                Expect.created(2, 1, 1)),
        STATUS_429_WITH_RETRY_AFTER(f -> f.failNextRouteCreate(aResponse().withStatus(429).withHeader("Retry-After", "1")),
                Expect.created(2, 0, 0)),
        STATUS_429_WITH_RETRY_AFTER_BEYOND_THE_CAP(f -> f.failNextRouteCreate(aResponse().withStatus(429)
                .withHeader("Retry-After", "3600")), Expect.refused(429)),
        STATUS_429_WITHOUT_RETRY_AFTER(f -> f.failNextRouteCreate(aResponse().withStatus(429)), Expect.created(2, 0, 0)),
        MALFORMED_JSON_AFTER_THE_SERVER_ACTED(f -> f.afterNextRouteCreate(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"Count\":1,\"Data\":[{\"ID\":")),
                Expect.created(1, 1, 0)),
        STATUS_401(f -> f.failNextRouteCreate(401, "{\"ErrorMessage\":\"API key authentication/authorization failure\","
                + "\"StatusCode\":401}"), Expect.refused(401)),
        STATUS_403(f -> f.failNextRouteCreate(403, "{\"ErrorMessage\":\"Forbidden\",\"StatusCode\":403}"), Expect.refused(403));

        final Consumer<FakeMailjet> inject;
        final Expect expect;

        Column(Consumer<FakeMailjet> inject, Expect expect) {
            this.inject = inject;
            this.expect = expect;
        }
    }

    /**
     * @param status 0 when the mailbox is created, -1 for a transport error, else the status of the typed error
     * @param posts creates sent in all
     * @param relistings re-listings of the routes after the fault
     * @param pauses backoff pauses before a repeated create
     */
    record Expect(int status, int posts, int relistings, int pauses) {
        static Expect created(int posts, int relistings, int pauses) {
            return new Expect(0, posts, relistings, pauses);
        }

        static Expect refused(int status) {
            return new Expect(status, 1, 0, 0);
        }

        /** The connection could not be made: the HTTP layer tries {@code attempts} times, nothing is re-listed. */
        static Expect neverSent(int attempts) {
            return new Expect(-1, attempts, 0, 0);
        }
    }

    private static ResponseDefinitionBuilder okCreated() {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"Count\":1,\"Data\":[{\"ID\":1,\"Email\":\"x\",\"Url\":\"https://x\"}],\"Total\":1}");
    }

    private final FakeMailjet fake = new FakeMailjet();
    private final AtomicBoolean refuseRouteCreates = new AtomicBoolean();
    private final AtomicInteger refusedCreates = new AtomicInteger();
    private final List<Long> pauses = Collections.synchronizedList(new ArrayList<>());
    private MailjetProvisioner provisioner;

    @BeforeEach
    void start() {
        fake.startServer();
        MailjetSettings settings = MailjetFakes.settings(fake).build();
        provisioner = MailjetProvisioner.builder(settings)
                .httpClient(MailjetClient.httpClientBuilder(settings).pacer(RequestPacer.NONE).sender(refusingSender())
                        .sleeper(nanos -> { }) // the 429 with Retry-After: 1 is not waited for
                        .retry(RetrySettings.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
                                .withMaxThrottleWait(Duration.ofSeconds(5)))
                        .requestTimeout(Duration.ofMillis(700)).build())
                .createRetry(new CreateRetry(4, Duration.ofMillis(250), Duration.ofSeconds(4), pauses::add, () -> 0.5))
                .build();
        provisioner.findMailbox(JANE); // the first read of the routes, before any fault
    }

    /** Refuses the connection of route creates while {@link #refuseRouteCreates} is set, as the JDK reports it. */
    private HttpSender refusingSender() {
        HttpSender jdk = HttpSender.withConnectTimeout(Duration.ofSeconds(2));
        return request -> {
            if (refuseRouteCreates.get() && request.method().equals("POST")
                    && request.uri().getPath().equals("/v3/REST/parseroute")) {
                refusedCreates.incrementAndGet();
                throw new ConnectException("Connection refused");
            }
            return jdk.send(request);
        };
    }

    @AfterEach
    void stop() {
        provisioner.close();
        fake.stopServer();
    }

    @ParameterizedTest
    @EnumSource(Column.class)
    void oneFaultOnTheCreateOfARoute(Column column) {
        column.inject.accept(fake);
        refuseRouteCreates.set(column == Column.CONNECTION_REFUSED);
        Expect expect = column.expect;

        if (expect.status() == -1) {
            assertThatThrownBy(() -> provisioner.createMailbox(MailboxRequest.of(JANE)))
                    .isInstanceOf(ProviderTransportException.class).hasRootCauseInstanceOf(ConnectException.class);
            assertThat(fake.routesFor(JANE.value())).isEmpty();
            assertThat(refusedCreates.get()).as("creates tried").isEqualTo(expect.posts());
            assertThat(fake.routePosts()).as("creates that reached the server").isZero();
            assertThat(provisioner.relistings()).as("re-listings").isZero();
            assertThat(pauses).as("backoff pauses").isEmpty();
            return;
        }
        if (expect.status() == 0) {
            MailboxCreation created = provisioner.createMailbox(MailboxRequest.of(JANE));
            assertThat(created.outcome()).isEqualTo(MailboxCreation.Outcome.CREATED);
            assertThat(fake.routesFor(JANE.value())).hasSize(1);
        } else {
            assertThatThrownBy(() -> provisioner.createMailbox(MailboxRequest.of(JANE)))
                    .isInstanceOfSatisfying(ProviderServiceException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(expect.status()))
                    .isNotInstanceOf(ProviderTransportException.class)
                    .satisfies(e -> assertThat(e instanceof QuotaExhaustedException).as("quota exhausted")
                            .isEqualTo(expect.status() == 429));
            assertThat(fake.routesFor(JANE.value())).isEmpty();
        }
        assertThat(fake.routePosts()).as("creates sent").isEqualTo(expect.posts());
        assertThat(provisioner.relistings()).as("re-listings").isEqualTo(expect.relistings());
        assertThat(pauses).as("backoff pauses").hasSize(expect.pauses());
        assertThat(fake.duplicateRouteAddresses()).isEmpty();
    }
}
