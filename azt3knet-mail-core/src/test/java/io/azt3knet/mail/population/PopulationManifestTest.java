package io.azt3knet.mail.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.azt3knet.mail.ManifestException;
import io.azt3knet.mail.MailboxAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PopulationManifestTest {

    private static final Instant AT = Instant.parse("2024-10-05T12:30:45Z");

    @TempDir
    Path dir;

    private static ManifestAgent agent(String id, String local, ManifestAgent.State state) {
        return new ManifestAgent(id, "Zoë \"Z\"", "Ørsted", "zo\\e", new MailboxAddress(local, "agents.example.org"),
                state, AT.plusSeconds(id.length()));
    }

    private static PopulationManifest sample() {
        return PopulationManifest.builder("agents.example.org", -42, AT).prefix("crew").metadata("country", "ES")
                .agents(List.of(agent("agent-00001", "crew.zoe.orsted.216.20241005123045", ManifestAgent.State.ACTIVE),
                        agent("agent-00002", "crew.zoe.orsted.217.20241005123045", ManifestAgent.State.PENDING),
                        agent("agent-00003", "crew.zoe.orsted.218.20241005123045", ManifestAgent.State.RETIRED)))
                .build();
    }

    @Test
    void roundTripsThroughAFileWithEveryFieldAndTheAgentOrder() throws Exception {
        PopulationManifest manifest = sample();
        Path file = dir.resolve("population.json");

        manifest.write(file);
        PopulationManifest read = PopulationManifest.read(file);

        assertThat(read).isEqualTo(manifest);
        assertThat(read.agents()).extracting(ManifestAgent::id).containsExactly("agent-00001", "agent-00002",
                "agent-00003");
        assertThat(read.seed()).isEqualTo(-42);
        assertThat(read.prefix()).isEqualTo("crew");
        assertThat(read.instant()).isEqualTo(AT);
        assertThat(read.metadata()).containsEntry("country", "ES");
        assertThat(read.agents().get(0).firstName()).isEqualTo("Zoë \"Z\"");
        assertThat(read.agents().get(0).username()).isEqualTo("zo\\e");
    }

    @Test
    void theFormatIsVersionedOneAgentPerLineWithLowerCaseStates() throws Exception {
        String json = sample().toJson();

        JsonNode root = new ObjectMapper().readTree(json);
        assertThat(root.get("format").asText()).isEqualTo("azt3knet-mail/population-manifest");
        assertThat(root.get("version").asInt()).isEqualTo(1);
        assertThat(root.get("domain").asText()).isEqualTo("agents.example.org");
        assertThat(root.get("instant").asText()).isEqualTo("2024-10-05T12:30:45Z");
        JsonNode first = root.get("agents").get(0);
        assertThat(first.get("state").asText()).isEqualTo("active");
        assertThat(first.get("address").asText()).isEqualTo("crew.zoe.orsted.216.20241005123045@agents.example.org");
        assertThat(first.get("changedAt").asText()).isNotBlank();
        assertThat(json.lines().filter(l -> l.contains("\"id\"")).count()).isEqualTo(3);
    }

    @Test
    void isWrittenOwnerOnlyAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("population.json");

        sample().write(file);
        sample().withAgents(List.of(agent("agent-00004", "x.y.001.20241005123045", ManifestAgent.State.ACTIVE)))
                .write(file);

        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        assertThat(PopulationManifest.read(file).agents()).hasSize(4);
    }

    @Test
    void findsAgentsByIdOrByAddressInAnyCase() {
        PopulationManifest m = sample();

        assertThat(m.find("agent-00002")).map(ManifestAgent::id).contains("agent-00002");
        assertThat(m.find("CREW.Zoe.orsted.218.20241005123045@agents.example.org")).map(ManifestAgent::id)
                .contains("agent-00003");
        assertThat(m.find("nobody")).isEmpty();
        assertThat(m.mentions(new MailboxAddress("Crew.zoe.orsted.216.20241005123045", "agents.example.org"))).isTrue();
    }

    @Test
    void withAgentsReplacesByIdInPlaceAndAppendsNewOnes() {
        PopulationManifest m = sample().withAgents(List.of(
                agent("agent-00002", "crew.zoe.orsted.217.20241005123045", ManifestAgent.State.ACTIVE),
                agent("agent-00009", "crew.zoe.orsted.219.20241005123045", ManifestAgent.State.PENDING)));

        assertThat(m.agents()).extracting(ManifestAgent::id).containsExactly("agent-00001", "agent-00002",
                "agent-00003", "agent-00009");
        assertThat(m.agents().get(1).state()).isEqualTo(ManifestAgent.State.ACTIVE);
    }

    @Test
    void refusesDuplicatesAndAddressesOutsideTheDomain() {
        assertThatThrownBy(() -> sample().withAgents(List.of(agent("agent-00007", "crew.zoe.orsted.216.20241005123045",
                ManifestAgent.State.ACTIVE)))).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> PopulationManifest.builder("agents.example.org", 1, AT).agents(List.of(
                new ManifestAgent("a", "", "", "", new MailboxAddress("x", "elsewhere.org"), ManifestAgent.State.ACTIVE,
                        AT))).build()).hasMessageContaining("outside the manifest's domain");
    }

    @Test
    void readingSaysWhatIsWrongWithABadFile() throws Exception {
        Path file = dir.resolve("bad.json");

        assertThatThrownBy(() -> PopulationManifest.read(dir.resolve("missing.json")))
                .isInstanceOf(ManifestException.class).hasMessageContaining("no such file");
        Files.writeString(file, "{\"agents\": []}");
        assertThatThrownBy(() -> PopulationManifest.read(file)).isInstanceOf(ManifestException.class)
                .hasMessageContaining("bad.json").hasMessageContaining("not a population manifest");
        Files.writeString(file, sample().toJson().replace("\"version\": 1", "\"version\": 2"));
        assertThatThrownBy(() -> PopulationManifest.read(file)).hasMessageContaining("format version 2")
                .hasMessageContaining("upgrade");
        Files.writeString(file, sample().toJson().replace("\"active\"", "\"sleeping\""));
        assertThatThrownBy(() -> PopulationManifest.read(file)).hasMessageContaining("agent 'agent-00001'")
                .hasMessageContaining("sleeping");
        Files.writeString(file, "not json");
        assertThatThrownBy(() -> PopulationManifest.read(file)).hasMessageContaining("not JSON");
    }

    @Test
    void aManifestFileWritesReplacementsAtOnceAndRecordedChangesWhenTheIntervalPassesOrOnFlush() {
        Path path = dir.resolve("population.json");
        ManifestFile file = ManifestFile.create(path, sample()).withFlushInterval(Duration.ofHours(1));
        ManifestAgent pending = file.current().agents().get(1);

        file.record(pending.withState(ManifestAgent.State.ACTIVE, AT.plusSeconds(60)));

        assertThat(PopulationManifest.read(path).agents().get(1).state()).as("not written yet")
                .isEqualTo(ManifestAgent.State.PENDING);
        assertThat(file.current().agents().get(1).state()).isEqualTo(ManifestAgent.State.ACTIVE);
        file.flush();
        assertThat(PopulationManifest.read(path).agents().get(1).state()).isEqualTo(ManifestAgent.State.ACTIVE);
        assertThat(PopulationManifest.read(path).agents().get(1).changedAt()).isEqualTo(AT.plusSeconds(60));

        ManifestFile eager = ManifestFile.open(path).withFlushInterval(Duration.ZERO);
        eager.record(eager.current().agents().get(0).withState(ManifestAgent.State.RETIRED, AT));
        assertThat(PopulationManifest.read(path).agents().get(0).state()).isEqualTo(ManifestAgent.State.RETIRED);
        assertThatThrownBy(() -> eager.record(agent("agent-00099", "q.r.001.20241005123045", ManifestAgent.State.ACTIVE)))
                .hasMessageContaining("not in the manifest");
    }
}
