package io.azt3knet.mail.examples.cli;

import static io.azt3knet.mail.examples.cli.ProviderFakes.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import io.azt3knet.mail.test.fake.FakeMailjet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code populate --create-mailboxes} end to end: the real command against the stateful Mailjet fake. */
class PopulateEndToEndTest {

    private static final String LINE = "agent-\\d{5}  %-15s [a-z0-9.]+\\.20241005123045@agents\\.example\\.org  "
            + "smtp in-v3\\.mailjet\\.com:587 user " + FakeMailjet.KEY + " password %s";

    private ProviderFakes fakes;

    @BeforeEach
    void start() {
        fakes = new ProviderFakes();
    }

    @AfterEach
    void stop() {
        fakes.close();
    }

    private CommandRun populate(Map<String, String> env, int count, String... options) {
        String[] args = Stream.concat(Stream.of("populate", "--count", Integer.toString(count), "--country", "ES",
                "--seed", "42", "--at", "2024-10-05T12:30:45Z", "--create-mailboxes"), Stream.of(options))
                .toArray(String[]::new);
        return CommandRun.run("", env, args);
    }

    private void assertOneRoutePerAgent(int count) {
        assertThat(fakes.mailjet.routeCount()).isEqualTo(count);
        assertThat(fakes.mailjet.duplicateRouteAddresses()).isEmpty();
    }

    @Test
    void provisionsEveryAgentPrintsMaskedCredentialsAndCreatesNothingNewOnARerun() {
        fakes.mailjet.pageSize(7); // Mailjet's pages, lowered: the re-run finds its 30 routes on 5 pages
        CommandRun first = populate(fakes.env(), 30);

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.lines()).hasSize(30).allMatch(l -> l.matches(String.format(LINE, "CREATED", "\\*\\*\\*\\*")), "masked");
        assertThat(first.out() + first.err()).doesNotContain(FakeMailjet.SECRET).doesNotContain(ProviderFakes.INBOUND_SECRET);
        assertThat(first.err()).contains("30 agents in").contains("30 created, 0 already existed, 0 repaired, 0 failed");
        assertOneRoutePerAgent(30);
        String address = first.lines().get(0).split(" +")[2];
        assertThat(fakes.mailjet.routesFor(address)).singleElement().satisfies(r -> assertThat(r.get("Url").asText())
                .isEqualTo("https://mailjet:" + ProviderFakes.INBOUND_SECRET + "@hooks.example.org/mailjet/inbound"));
        int posts = fakes.mailjet.routePosts();

        CommandRun again = populate(fakes.env(), 30, "--show-secrets");

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(fakes.mailjet.routePosts()).isEqualTo(posts);
        assertOneRoutePerAgent(30);
        assertThat(fakes.mailjetServer.getAllServeEvents()).filteredOn(e -> e.getRequest().getMethod().getName()
                .equals("GET") && e.getRequest().getUrl().startsWith("/v3/REST/parseroute?"))
                .extracting(e -> e.getRequest().queryParameter("Offset").firstValue()).contains("7", "28");
        assertThat(again.lines()).hasSize(30)
                .allMatch(l -> l.matches(String.format(LINE, "ALREADY_EXISTED", FakeMailjet.SECRET)), "shown");
        assertThat(again.lines().stream().map(l -> l.split(" +")[2]))
                .containsExactlyElementsOf(first.lines().stream().map(l -> l.split(" +")[2]).toList());
    }

    @Test
    void jsonHasTheAddressAndTheCredentialFieldsOfEveryAgent() throws Exception {
        CommandRun run = populate(fakes.env(), 5, "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.lines()).hasSize(5);
        for (String line : run.lines()) {
            JsonNode agent = new ObjectMapper().readTree(line);
            String address = agent.get("address").asText();
            assertThat(address).endsWith("@" + DOMAIN);
            assertThat(agent.get("status").asText()).isEqualTo("CREATED");
            assertThat(agent.get("smtpHost").asText()).isEqualTo("in-v3.mailjet.com");
            assertThat(agent.get("smtpPort").asInt()).isEqualTo(587);
            assertThat(agent.get("smtpUsername").asText()).isEqualTo(FakeMailjet.KEY);
            assertThat(agent.get("smtpPassword").asText()).isEqualTo("****");
            assertThat(agent.get("routeId").asText()).isEqualTo(fakes.mailjet.routesFor(address).get(0).get("ID").asText());
            assertThat(agent.has("error")).isFalse();
        }
    }

    @Test
    void droppedConnectionsServerErrorsAndThrottlingNeverDuplicateARouteAndARerunCompletesWhatFailed() {
        fakes.mailjet.afterNextRouteCreate(Fault.CONNECTION_RESET_BY_PEER); // recorded, answer lost
        fakes.mailjet.afterNextRouteCreate(500, "");                          // recorded, then a bare 500
        fakes.mailjet.afterNextRouteCreate(Fault.EMPTY_RESPONSE);
        fakes.mailjet.failNextRouteListings(1);                               // the first listing gets an HTML 503
        fakes.mailjet.rateLimit(8);                                           // the slow start overshoots it: 429s
        Map<String, String> env = fakes.env(Map.of("MAILJET_REQUESTS_PER_SECOND", "40"));

        CommandRun run = populate(env, 30);

        assertThat(fakes.mailjet.throttled()).as("429s served").isPositive();
        assertThat(fakes.mailjet.duplicateRouteAddresses()).isEmpty();
        if (run.exitCode() != 0) {
            // an ambiguous create whose re-listing was throttled too stays FAILED (never retried blindly)
            assertThat(run.exitCode()).as(run.err()).isEqualTo(Azt3knetMailCommand.EXIT_FAILED);
            assertThat(run.lines()).filteredOn(l -> l.contains(" FAILED ")).isNotEmpty()
                    .allMatch(l -> l.contains("mailjet"));
            run = populate(env, 30);
        }
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertOneRoutePerAgent(30);
        assertThat(run.lines()).hasSize(30).noneMatch(l -> l.contains(" FAILED "));
    }

    @Test
    void anAgentThatFailedMakesTheRunExitWithOneAndARerunRepairsOnlyIt() {
        // a refusal is final for this run (a 5xx would be re-checked and created again within the run)
        fakes.mailjet.failNextRouteCreate(403, "{\"ErrorMessage\":\"Forbidden\",\"StatusCode\":403}");

        CommandRun failed = populate(fakes.env(), 12);

        assertThat(failed.exitCode()).isEqualTo(Azt3knetMailCommand.EXIT_FAILED);
        List<String> failedLines = new ArrayList<>(failed.lines());
        failedLines.removeIf(l -> !l.contains(" FAILED "));
        assertThat(failedLines).singleElement().satisfies(l -> assertThat(l).contains("403"));
        assertThat(failed.err()).contains("11 created, 0 already existed, 0 repaired, 1 failed").contains("  failed agent-");
        assertOneRoutePerAgent(11);

        CommandRun repaired = populate(fakes.env(), 12);

        assertThat(repaired.exitCode()).as(repaired.err()).isZero();
        assertThat(repaired.err()).contains("1 created, 11 already existed, 0 repaired, 0 failed");
        String failedAgent = failedLines.get(0).substring(0, "agent-00000".length());
        assertThat(repaired.lines()).filteredOn(l -> l.startsWith(failedAgent)).singleElement()
                .satisfies(l -> assertThat(l).contains(" CREATED "));
        assertOneRoutePerAgent(12);
    }
}
