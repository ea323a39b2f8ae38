package io.azt3knet.mail.examples.cli;

import static io.azt3knet.mail.examples.cli.ProviderFakes.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.azt3knet.mail.population.ManifestAgent;
import io.azt3knet.mail.population.PopulationManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The population lifecycle through the command line against the stateful Mailjet fake: {@code populate --manifest}
 * (create, plan, re-apply, grow), {@code retire}, {@code mailboxes list|orphans}.
 */
class LifecycleEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OTHER_URL = "https://someone-else.example.net/hook";

    @TempDir
    Path dir;

    private ProviderFakes fakes;
    private Path manifest;

    @BeforeEach
    void start() {
        fakes = new ProviderFakes();
        manifest = dir.resolve("population.json");
    }

    @AfterEach
    void stop() {
        fakes.close();
    }

    private CommandRun cli(String... args) {
        return CommandRun.run("", fakes.env(), args);
    }

    private CommandRun create(int count) {
        return cli("populate", "--count", Integer.toString(count), "--country", "ES", "--seed", "42", "--at",
                "2024-10-05T12:30:45Z", "--create-mailboxes", "--manifest", manifest.toString());
    }

    private static List<JsonNode> json(CommandRun run) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : run.lines()) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private List<String> addresses() {
        return PopulationManifest.read(manifest).agents().stream().map(a -> a.address().value()).toList();
    }

    @Test
    void createWritesAnOwnerOnlyManifestOfActiveAgentsWithSeedInstantAndCountry() throws Exception {
        CommandRun run = create(12);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("12 created");
        PopulationManifest m = PopulationManifest.read(manifest);
        assertThat(m.domain()).isEqualTo(DOMAIN);
        assertThat(m.seed()).isEqualTo(42);
        assertThat(m.instant()).hasToString("2024-10-05T12:30:45Z");
        assertThat(m.metadata()).containsEntry("country", "ES");
        assertThat(m.agents()).hasSize(12).allMatch(a -> a.state() == ManifestAgent.State.ACTIVE);
        assertThat(m.agents()).allSatisfy(a -> assertThat(fakes.mailjet.routesFor(a.address().value())).hasSize(1));
        if (Files.getFileStore(manifest).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(manifest))).isEqualTo("rw-------");
        }
        assertThat(Files.readString(manifest)).doesNotContain(ProviderFakes.INBOUND_SECRET)
                .doesNotContain(fakes.env().get("MAILJET_API_SECRET"));
    }

    @Test
    void planIsOneListingPrintsOneJsonLinePerAgentWritesNothingAndExitsZero() throws Exception {
        create(10);
        List<String> all = addresses();
        fakes.mailjet.deleteRoutesOf(all.get(3));
        byte[] before = Files.readAllBytes(manifest);
        int calls = fakes.mailjet.calls();
        int routes = fakes.mailjet.routeCount();

        CommandRun plan = cli("populate", "--manifest", manifest.toString(), "--plan", "--json");

        assertThat(plan.exitCode()).as(plan.err()).isZero();
        List<JsonNode> lines = json(plan);
        assertThat(lines).hasSize(10);
        assertThat(lines).filteredOn(l -> l.get("action").asText().equals("REPAIR")).singleElement()
                .satisfies(l -> assertThat(l.get("address").asText()).isEqualTo(all.get(3)));
        assertThat(lines).filteredOn(l -> l.get("action").asText().equals("UNCHANGED")).hasSize(9);
        assertThat(lines.get(0).get("id").asText()).isEqualTo("agent-00001");
        assertThat(lines.get(0).get("state").asText()).isEqualTo("active");
        assertThat(plan.err()).contains("0 to create, 1 to repair, 9 unchanged, 0 retired").contains("nothing was written");
        assertThat(fakes.mailjet.calls() - calls).as("one listing: a single page").isEqualTo(1);
        assertThat(Files.readAllBytes(manifest)).isEqualTo(before);
        assertThat(fakes.mailjet.routeCount()).isEqualTo(routes);
    }

    @Test
    void reapplyWithoutCountOrSeedRepairsRoutesDeletedBehindTheManifestsBackAndCreatesNothingNew() throws Exception {
        create(10);
        List<String> all = addresses();
        fakes.mailjet.deleteRoutesOf(all.get(2));
        fakes.mailjet.deleteRoutesOf(all.get(7));
        fakes.mailjet.addRoute(all.get(5).replace(".20241005", ".x20241005"), ProviderFakes.INBOUND_URL);
        int posts = fakes.mailjet.routePosts();

        CommandRun apply = cli("populate", "--manifest", manifest.toString(), "--create-mailboxes");

        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(apply.err()).contains("10 agents").contains("2 created, 8 already existed");
        assertThat(fakes.mailjet.routePosts() - posts).isEqualTo(2);
        assertThat(fakes.mailjet.routesFor(all.get(2))).hasSize(1);
        assertThat(fakes.mailjet.routesFor(all.get(7))).hasSize(1);
        assertThat(addresses()).isEqualTo(all);
        assertThat(fakes.mailjet.duplicateRouteAddresses()).isEmpty();
    }

    @Test
    void countGrowsThePopulationWithTheSameSeedKeepingEveryExistingAgent() throws Exception {
        create(5);
        List<String> first = addresses();

        CommandRun plan = cli("populate", "--manifest", manifest.toString(), "--count", "8", "--plan");
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.err()).contains("3 to create, 0 to repair, 5 unchanged");
        assertThat(addresses()).as("a plan writes nothing").hasSize(5);

        CommandRun grow = cli("populate", "--manifest", manifest.toString(), "--count", "8", "--create-mailboxes");

        assertThat(grow.exitCode()).as(grow.err()).isZero();
        assertThat(grow.err()).contains("3 created, 5 already existed");
        List<String> grown = addresses();
        assertThat(grown).hasSize(8).startsWith(first.toArray(String[]::new));
        CommandRun fresh = CommandRun.run("", fakes.env(), "populate", "--count", "8", "--country", "ES", "--seed", "42",
                "--at", "2024-10-05T12:30:45Z", "--json");
        assertThat(json(fresh).stream().map(n -> n.get("address").asText()).toList())
                .as("the same addresses as a first run of 8").isEqualTo(grown);
        assertThat(fakes.mailjet.routeCount()).isEqualTo(8);
    }

    @Test
    void optionsThatContradictTheManifestAreRefusedWithExitTwo() {
        create(3);

        CommandRun seed = cli("populate", "--manifest", manifest.toString(), "--seed", "7", "--create-mailboxes");
        CommandRun shrink = cli("populate", "--manifest", manifest.toString(), "--count", "2", "--create-mailboxes");
        CommandRun missing = cli("populate", "--manifest", dir.resolve("nope.json").toString(), "--plan");
        CommandRun unknown = cli("retire", "--manifest", manifest.toString(), "--agent", "agent-99999");

        assertThat(seed.exitCode()).isEqualTo(2);
        assertThat(seed.err()).contains("--seed 7 differs from the manifest's seed 42");
        assertThat(shrink.exitCode()).isEqualTo(2);
        assertThat(shrink.err()).contains("retire agents instead");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("agent-99999").contains("nothing was retired");
        assertThat(fakes.mailjet.routeCount()).isEqualTo(3);
    }

    @Test
    void retireDeletesTheRoutesMarksTheAgentsRetiredIsIdempotentAndKeepsMailUnlessPurged() throws Exception {
        create(6);
        List<String> all = addresses();
        Path maildir = dir.resolve("maildir");
        Path kept = maildir.resolve(all.get(0)).resolve("new");
        Files.createDirectories(kept);
        Files.createDirectories(maildir.resolve(all.get(0)).resolve("cur"));
        Files.createDirectories(maildir.resolve(all.get(0)).resolve("tmp"));
        Files.writeString(kept.resolve("1700000000.M1P1.host"), "From: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n");

        CommandRun dry = cli("retire", "--manifest", manifest.toString(), "--agent", "agent-00001", "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.lines()).singleElement().satisfies(l -> assertThat(l).contains("WOULD_RETIRE"));
        assertThat(fakes.mailjet.routeCount()).isEqualTo(6);

        CommandRun retire = cli("retire", "--manifest", manifest.toString(), "--agent", "agent-00001", "--agent",
                all.get(1), "--json");

        assertThat(retire.exitCode()).as(retire.err()).isZero();
        assertThat(json(retire)).extracting(n -> n.get("status").asText()).containsExactly("RETIRED", "RETIRED");
        assertThat(json(retire)).extracting(n -> n.get("mailbox").asText()).containsOnly("DELETED");
        assertThat(fakes.mailjet.routesFor(all.get(0))).isEmpty();
        assertThat(fakes.mailjet.routesFor(all.get(1))).isEmpty();
        assertThat(fakes.mailjet.routeCount()).isEqualTo(4);
        assertThat(PopulationManifest.read(manifest).agents(ManifestAgent.State.RETIRED)).extracting(ManifestAgent::id)
                .containsExactly("agent-00001", "agent-00002");
        assertThat(retire.err()).contains("stored mail kept");
        assertThat(Files.list(kept)).hasSize(1);

        CommandRun again = cli("retire", "--manifest", manifest.toString(), "--agent", "agent-00001", "--purge-mail",
                "--maildir", maildir.toString());

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.lines()).singleElement().satisfies(l -> assertThat(l).contains("ALREADY_RETIRED")
                .contains("1 stored messages deleted"));
        try (Stream<Path> left = Files.list(kept)) {
            assertThat(left).isEmpty();
        }
        CommandRun apply = cli("populate", "--manifest", manifest.toString(), "--create-mailboxes");
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(apply.lines()).hasSize(4);
        assertThat(fakes.mailjet.routeCount()).as("retired agents are never re-created").isEqualTo(4);
    }

    @Test
    void aRetireThatFailsMidwayIsFinishedByARerunAndTouchesNothingElse() throws Exception {
        create(8);
        List<String> all = addresses();
        long foreign = fakes.mailjet.addRoute("someone@" + DOMAIN, OTHER_URL);
        fakes.mailjet.failRouteDeletesAfter(3, 503);

        CommandRun broken = cli("retire", "--manifest", manifest.toString(), "--all", "--json");

        assertThat(broken.exitCode()).isEqualTo(Azt3knetMailCommand.EXIT_FAILED);
        assertThat(json(broken)).extracting(n -> n.get("status").asText()).containsOnly("RETIRED", "FAILED")
                .contains("FAILED");
        assertThat(PopulationManifest.read(manifest).agents()).as("marked before deleting")
                .allMatch(a -> a.state() == ManifestAgent.State.RETIRED);
        assertThat(fakes.mailjet.routeCount()).isGreaterThan(1);

        fakes.mailjet.failRouteDeletes(0);
        CommandRun rerun = cli("retire", "--manifest", manifest.toString(), "--all", "--json");

        assertThat(rerun.exitCode()).as(rerun.err()).isZero();
        assertThat(json(rerun)).hasSize(8).extracting(n -> n.get("status").asText())
                .containsOnly("RETIRED", "ALREADY_RETIRED");
        all.forEach(a -> assertThat(fakes.mailjet.routesFor(a)).isEmpty());
        assertThat(fakes.mailjet.routesFor("someone@" + DOMAIN)).singleElement()
                .satisfies(r -> assertThat(r.get("ID").asLong()).isEqualTo(foreign));
        assertThat(fakes.mailjet.routeCount()).isEqualTo(1);
        CommandRun third = cli("retire", "--manifest", manifest.toString(), "--all");
        assertThat(third.exitCode()).isZero();
        assertThat(third.lines()).allMatch(l -> l.contains("ALREADY_RETIRED"));
    }

    @Test
    void orphansAreOurRoutesInNoManifestAndDeleteRemovesOnlyThem() throws Exception {
        create(4);
        Path other = dir.resolve("other.json");
        CommandRun second = cli("populate", "--count", "2", "--country", "DE", "--seed", "9", "--at",
                "2024-10-06T08:00:00Z", "--create-mailboxes", "--manifest", other.toString());
        assertThat(second.exitCode()).as(second.err()).isZero();
        fakes.mailjet.addRoute("lost.agent.001.20241005123045@" + DOMAIN,
                "https://mailjet:" + ProviderFakes.INBOUND_SECRET + "@hooks.example.org/mailjet/inbound");
        fakes.mailjet.addRoute("foreign.agent.002.20241005123045@" + DOMAIN, OTHER_URL);

        CommandRun list = cli("mailboxes", "list", "--json");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(json(list)).hasSize(8);
        assertThat(json(list)).filteredOn(n -> !n.get("thisDeployment").asBoolean()).singleElement()
                .satisfies(n -> assertThat(n.get("address").asText()).startsWith("foreign."));
        assertThat(list.out()).doesNotContain(ProviderFakes.INBOUND_SECRET);

        CommandRun onlyFirst = cli("mailboxes", "orphans", "--manifest", manifest.toString(), "--json");
        assertThat(json(onlyFirst)).extracting(n -> n.get("address").asText()).hasSize(3)
                .contains("lost.agent.001.20241005123045@" + DOMAIN);

        CommandRun orphans = cli("mailboxes", "orphans", "--manifest", manifest.toString(), "--manifest",
                other.toString());
        assertThat(orphans.exitCode()).isZero();
        assertThat(orphans.lines()).singleElement().satisfies(l -> assertThat(l).startsWith("lost.agent."));

        CommandRun delete = cli("mailboxes", "orphans", "--manifest", manifest.toString(), "--manifest",
                other.toString(), "--delete", "--json");

        assertThat(delete.exitCode()).as(delete.err()).isZero();
        assertThat(json(delete)).singleElement().satisfies(n -> {
            assertThat(n.get("status").asText()).isEqualTo("RETIRED");
            assertThat(n.get("address").asText()).startsWith("lost.agent.");
            assertThat(n.has("id")).isFalse();
        });
        assertThat(fakes.mailjet.routesFor("lost.agent.001.20241005123045@" + DOMAIN)).isEmpty();
        assertThat(fakes.mailjet.routesFor("foreign.agent.002.20241005123045@" + DOMAIN)).hasSize(1);
        assertThat(fakes.mailjet.routeCount()).isEqualTo(7);
    }
}
