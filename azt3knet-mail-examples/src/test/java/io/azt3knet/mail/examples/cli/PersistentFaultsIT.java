package io.azt3knet.mail.examples.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.azt3knet.mail.test.fake.FakeMailjet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider that answers 500 forever, or never answers: the command line ends in bounded time (the configured
 * timeout times the attempts, plus the backoff pauses), reports every agent's failure and exits 1. The bounds are
 * computed from the configuration and the documented retry rules (docs/reliability.md) with a generous factor, plus
 * an allowance for starting a JVM on a busy machine: they catch a run that hangs or retries without end, not a slow
 * one.
 */
class PersistentFaultsIT {

    /** Starting the JVM and the command line on a shared 2-core machine; generous. */
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final int FACTOR = 2;
    /** A safe call: 5 attempts; full-jitter backoff ceilings 0.2, 0.4, 0.8 and 1.6 s between them. */
    private static final int ATTEMPTS = 5;
    private static final Duration RETRY_PAUSES = Duration.ofMillis(200 + 400 + 800 + 1600);
    /** A create: 4 in all; backoff ceilings 0.25, 0.5 and 1 s between them, each after a shared re-listing. */
    private static final int CREATES = 4;
    private static final Duration CREATE_PAUSES = Duration.ofMillis(250 + 500 + 1000);
    /** The MAILJET_REQUEST_TIMEOUT these tests configure. */
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private static final String MAILJET_500 = "{\"ErrorInfo\":\"\",\"ErrorMessage\":\"Internal Server Error\","
            + "\"StatusCode\":500,\"ErrorIdentifier\":\"8e6b0c5a-3a55-4c59-9a3e-6f2f0b7d1c44\"}";

    @TempDir
    Path dir;

    private static String[] populate(int agents, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("populate", "--count", Integer.toString(agents), "--country",
                "FR", "--seed", "3", "--at", "2024-10-05T12:30:45Z", "--create-mailboxes"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static Duration bound(Duration work) {
        return STARTUP.plus(work.multipliedBy(FACTOR));
    }

    @Test
    void mailjetAnswering500ForeverEndsTheRunAfterFiveAttemptsWithOneLine() {
        WireMockServer mailjet = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        mailjet.start();
        try {
            mailjet.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)
                    .withHeader("Content-Type", "application/json").withBody(MAILJET_500)));
            Map<String, String> env = mailjetEnv("http://127.0.0.1:" + mailjet.port());

            JarProcess.Result run = JarProcess.in(dir, env).run(populate(10));

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            // the domain cannot be prepared: no agent is started, the one line says why and quotes Mailjet's id
            assertThat(run.lastErrLine()).as(run.toString()).isEqualTo("azt3knet-mail populate: mailjet answered 500 to GET"
                    + " /v3/REST/sender: Internal Server Error (request id 8e6b0c5a-3a55-4c59-9a3e-6f2f0b7d1c44)");
            assertThat(run.out()).isEmpty();
            assertThat(mailjet.countRequestsMatching(anyRequestedFor(anyUrl()).build()).getCount())
                    .as("attempts of the one call").isEqualTo(ATTEMPTS);
            assertThat(run.elapsed()).isLessThan(bound(RETRY_PAUSES));
        } finally {
            mailjet.stop();
        }
    }

    @Test
    void routeCreationFailingForeverReportsEveryAgentFailedAfterAtMostFourCreatesEach() {
        int agents = 20;
        try (FaultyMailjet mailjet = new FaultyMailjet()) {
            mailjet.routeCreates(FaultyMailjet.RouteCreates.FAIL_500);

            JarProcess.Result run = JarProcess.in(dir, mailjet.env(Map.of())).run(populate(agents));

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.outLines()).as(run.toString()).hasSize(agents)
                    .allMatch(l -> l.matches("agent-\\d{5}  FAILED +\\S+@agents\\.example\\.org  .*500.*"));
            assertThat(run.err()).contains("0 created, 0 already existed, 0 repaired, " + agents + " failed");
            assertThat(run.errLines()).filteredOn(l -> l.startsWith("  failed agent-")).hasSize(agents);
            assertThat(mailjet.routeCreatesRefused()).isBetween(agents, CREATES * agents);
            assertThat(mailjet.fake.routeCount()).isZero();
            // 16 workers: two waves of agents, each spending its creates and pauses
            assertThat(run.elapsed()).isLessThan(bound(CREATE_PAUSES.multipliedBy(2)));
        }
    }

    @Test
    void aMailjetThatNeverAnswersEndsTheRunWithinTimeoutTimesAttempts() throws IOException {
        try (SilentServer silent = new SilentServer()) {
            Map<String, String> env = mailjetEnv("http://127.0.0.1:" + silent.port());
            env.put("MAILJET_REQUEST_TIMEOUT", "1s");

            JarProcess.Result run = JarProcess.in(dir, env).run(populate(10));

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.lastErrLine()).as(run.toString()).startsWith("azt3knet-mail populate: ")
                    .contains("127.0.0.1:" + silent.port()).containsIgnoringCase("timed out");
            assertThat(silent.connections()).as("one connection per attempt").isBetween(1, ATTEMPTS);
            assertThat(run.elapsed()).isLessThan(bound(TIMEOUT.multipliedBy(ATTEMPTS).plus(RETRY_PAUSES)));
        }
    }

    @Test
    void routeCreationsThatNeverAnswerEndEveryAgentFailedWithinTimeoutTimesCreates() {
        int agents = 8;
        try (FaultyMailjet mailjet = new FaultyMailjet()) {
            mailjet.routeCreates(FaultyMailjet.RouteCreates.HANG);

            JarProcess.Result run = JarProcess.in(dir, mailjet.env(Map.of("MAILJET_REQUEST_TIMEOUT", "1s")))
                    .run(populate(agents, "--concurrency", Integer.toString(agents)));

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.outLines()).as(run.toString()).hasSize(agents)
                    .allMatch(l -> l.matches("agent-\\d{5}  FAILED +\\S+@agents\\.example\\.org  .*"));
            assertThat(run.err()).contains("0 created, 0 already existed, 0 repaired, " + agents + " failed");
            assertThat(mailjet.routeCreatesRefused()).isBetween(agents, CREATES * agents);
            assertThat(mailjet.fake.routeCount()).isZero();
            assertThat(run.elapsed()).isLessThan(bound(TIMEOUT.multipliedBy(CREATES).plus(CREATE_PAUSES)));
        }
    }

    @Test
    void dnsBootstrapWithDesecAnswering500ForeverEndsAfterFiveAttemptsOfTheRead() {
        FakeMailjet mailjet = new FakeMailjet();
        mailjet.startServer();
        WireMockServer desec = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        desec.start();
        try {
            desec.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                    .withBody("{\"detail\":\"Internal Server Error. We're on it!\"}")));
            desec.stubFor(get(urlPathEqualTo("/checkip/")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "text/plain").withBody("203.0.113.7\n")));
            String base = "http://127.0.0.1:" + desec.port();
            Map<String, String> env = new HashMap<>(Map.of("DESEC_DOMAIN", ProviderFakes.DOMAIN, "DESEC_TOKEN", "t0ken-500",
                    "DESEC_API_URL", base + "/api/v1", "DESEC_DYNDNS_UPDATE_URL", base + "/update/",
                    "DESEC_CHECKIP_URL", base + "/checkip/", "MAILJET_API_KEY", FakeMailjet.KEY,
                    "MAILJET_API_SECRET", FakeMailjet.SECRET, "MAILJET_API_URL", mailjet.baseUrl().toString()));

            JarProcess.Result run = JarProcess.in(dir, env).run("dns-bootstrap", "--wait", "0s");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.out()).as(run.toString()).contains("FAILED   plan DNS", "SKIPPED  apply DNS");
            assertThat(run.lastErrLine()).as(run.toString()).isEqualTo("azt3knet-mail dns-bootstrap: plan DNS failed:"
                    + " desec answered 500 to GET /domains/agents.example.org/: Internal Server Error. We're on it!");
            assertThat(run.out() + run.err()).doesNotContain("t0ken-500");
            assertThat(desec.countRequestsMatching(anyRequestedFor(urlPathMatching("/api/v1/.*")).build()).getCount())
                    .as("attempts of the zone read").isEqualTo(ATTEMPTS);
            assertThat(desec.countRequestsMatching(anyRequestedFor(urlPathEqualTo("/update/")).build()).getCount())
                    .as("nothing written to DynDNS after a failed read").isZero();
            assertThat(run.elapsed()).isLessThan(bound(RETRY_PAUSES));
        } finally {
            desec.stop();
            mailjet.stopServer();
        }
    }

    @Test
    void dnsBootstrapWithADesecThatNeverAnswersEndsWithinTimeoutTimesAttemptsOfTheRead() throws IOException {
        FakeMailjet mailjet = new FakeMailjet();
        mailjet.startServer();
        WireMockServer checkIp = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        checkIp.start();
        try (SilentServer desec = new SilentServer()) {
            checkIp.stubFor(get(urlPathEqualTo("/checkip/")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "text/plain").withBody("203.0.113.7\n")));
            String silent = "http://127.0.0.1:" + desec.port();
            Map<String, String> env = new HashMap<>(Map.of("DESEC_DOMAIN", ProviderFakes.DOMAIN, "DESEC_TOKEN", "t0ken-silent",
                    "DESEC_API_URL", silent + "/api/v1", "DESEC_DYNDNS_UPDATE_URL", silent + "/update/",
                    "DESEC_CHECKIP_URL", "http://127.0.0.1:" + checkIp.port() + "/checkip/", "DESEC_REQUEST_TIMEOUT", "1s",
                    "MAILJET_API_KEY", FakeMailjet.KEY, "MAILJET_API_SECRET", FakeMailjet.SECRET,
                    "MAILJET_API_URL", mailjet.baseUrl().toString()));

            JarProcess.Result run = JarProcess.in(dir, env).run("dns-bootstrap", "--wait", "0s");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.out()).as(run.toString()).contains("FAILED   plan DNS", "SKIPPED  refresh DynDNS");
            assertThat(run.lastErrLine()).as(run.toString()).isEqualTo("azt3knet-mail dns-bootstrap: plan DNS failed: no"
                    + " answer from desec to GET /domains/agents.example.org/ on 127.0.0.1:" + desec.port()
                    + ": HttpTimeoutException (request timed out)");
            assertThat(desec.connections()).as("one connection per attempt").isBetween(1, ATTEMPTS);
            assertThat(run.elapsed()).isLessThan(bound(TIMEOUT.multipliedBy(ATTEMPTS).plus(RETRY_PAUSES)));
        } finally {
            checkIp.stop();
            mailjet.stopServer();
        }
    }

    private static Map<String, String> mailjetEnv(String url) {
        return new HashMap<>(Map.of("DESEC_DOMAIN", ProviderFakes.DOMAIN, "MAILJET_API_KEY", FakeMailjet.KEY,
                "MAILJET_API_SECRET", FakeMailjet.SECRET, "MAILJET_API_URL", url,
                "MAILJET_INBOUND_URL", ProviderFakes.INBOUND_URL));
    }

    /** Accepts connections on loopback, reads nothing, answers nothing; counts them. Closes them all on close. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final AtomicInteger accepted = new AtomicInteger();
        private final Thread acceptor;

        SilentServer() throws IOException {
            acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        held.add(listener.accept());
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        int connections() {
            return accepted.get();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
