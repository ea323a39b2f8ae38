package io.azt3knet.mail.population;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.ManifestException;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.config.ProvisioningSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A population as it was provisioned: its domain, prefix, seed and naming instant, and every agent with its address
 * and state ({@code pending}, {@code active}, {@code retired}). It is what makes a population repeatable without
 * writing down {@code --seed} and {@code --at}: growing it, re-applying it after a crash, retiring agents and
 * finding orphaned mailboxes all start from it. The JSON format is documented in {@code docs/manifest.md}
 * ({@value #FORMAT}, version {@value #VERSION}).
 *
 * <p>Immutable and thread-safe. Agent ids are unique, addresses are unique (case-insensitively) and lie in the
 * manifest's domain; agents keep the order they were added in. {@link ManifestFile} keeps one on disk while a run
 * changes it.
 *
 * <pre>{@code
 * PopulationManifest manifest = PopulationManifest.builder("agents.example.org", 42, Instant.parse("2024-10-05T12:30:45Z"))
 *         .metadata("country", "ES")
 *         .build();
 * manifest.write(Path.of("population.json"));
 * PopulationManifest again = PopulationManifest.read(Path.of("population.json"));
 * }</pre>
 */
public final class PopulationManifest {

    /** The value of the {@code format} field that marks a file as a population manifest. */
    public static final String FORMAT = "azt3knet-mail/population-manifest";
    /** The format version this library writes and reads. */
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String domain;
    private final String prefix;
    private final long seed;
    private final Instant instant;
    private final Map<String, String> metadata;
    private final List<ManifestAgent> agents;
    private final Map<String, ManifestAgent> byId;
    private final Map<String, ManifestAgent> byAddress;

    private PopulationManifest(String domain, String prefix, long seed, Instant instant, Map<String, String> metadata,
            Collection<ManifestAgent> agents) {
        this.domain = MailboxAddress.requireDomain(domain.strip().toLowerCase(Locale.ROOT));
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        ProvisioningSettings.checkPrefix(prefix).ifPresent(p -> {
            throw new IllegalArgumentException("prefix: " + p);
        });
        this.seed = seed;
        this.instant = Objects.requireNonNull(instant, "instant");
        this.metadata = java.util.Collections.unmodifiableMap(new TreeMap<>(metadata));
        this.agents = List.copyOf(agents);
        Map<String, ManifestAgent> ids = new HashMap<>(agents.size() * 2);
        Map<String, ManifestAgent> addresses = new HashMap<>(agents.size() * 2);
        for (ManifestAgent a : this.agents) {
            if (ids.put(a.id(), a) != null) {
                throw new IllegalArgumentException("agent id '" + a.id() + "' appears twice");
            }
            if (!a.address().domain().equals(this.domain)) {
                throw new IllegalArgumentException("agent '" + a.id() + "' has address " + a.address()
                        + " outside the manifest's domain " + this.domain);
            }
            if (addresses.put(key(a.address()), a) != null) {
                throw new IllegalArgumentException("address " + a.address() + " appears twice");
            }
        }
        this.byId = ids;
        this.byAddress = addresses;
    }

    /**
     * @param domain the population's mail domain
     * @param seed the population seed the agents' digits derive from
     * @param instant the instant every agent is named at
     * @return a builder of a manifest with no prefix, no metadata and no agent
     */
    public static Builder builder(String domain, long seed, Instant instant) {
        return new Builder(domain, seed, instant);
    }

    /** @return the mail domain, lower case */
    public String domain() {
        return domain;
    }

    /** @return the prefix label in front of every address, empty for none */
    public String prefix() {
        return prefix;
    }

    /** @return the population seed */
    public long seed() {
        return seed;
    }

    /** @return the instant the agents are named at */
    public Instant instant() {
        return instant;
    }

    /**
     * @return free-form strings kept with the population, sorted by key (the command line keeps the country its
     *     agents were generated for under {@code country})
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** @return every agent, in the order they were added */
    public List<ManifestAgent> agents() {
        return agents;
    }

    /**
     * @param idOrAddress an agent id, or an address (compared case-insensitively)
     * @return the agent, if this manifest holds it
     */
    public Optional<ManifestAgent> find(String idOrAddress) {
        String s = idOrAddress.strip();
        ManifestAgent byKey = byId.get(s);
        if (byKey != null) {
            return Optional.of(byKey);
        }
        return Optional.ofNullable(byAddress.get(s.toLowerCase(Locale.ROOT)));
    }

    /**
     * @param address an address
     * @return whether an agent of this manifest (in any state) has it
     */
    public boolean mentions(MailboxAddress address) {
        return byAddress.containsKey(key(address));
    }

    /**
     * @param state a state
     * @return the agents in that state, in order
     */
    public List<ManifestAgent> agents(ManifestAgent.State state) {
        return agents.stream().filter(a -> a.state() == state).toList();
    }

    /**
     * @param changed agents to put in: one with a known id replaces that agent in place, a new one is appended
     * @return the manifest with them
     * @throws IllegalArgumentException if an address would appear twice or lies outside the domain
     */
    public PopulationManifest withAgents(Collection<ManifestAgent> changed) {
        if (changed.isEmpty()) {
            return this;
        }
        LinkedHashMap<String, ManifestAgent> all = new LinkedHashMap<>(agents.size() * 2);
        agents.forEach(a -> all.put(a.id(), a));
        changed.forEach(a -> all.put(a.id(), a));
        return new PopulationManifest(domain, prefix, seed, instant, metadata, all.values());
    }

    /**
     * @param agent an agent
     * @return whether this manifest holds an agent with the same id
     */
    public boolean contains(AgentIdentity agent) {
        return byId.containsKey(agent.id());
    }

    /** @return this manifest's header (domain, prefix, seed, instant, metadata) with no agent */
    PopulationManifest withoutAgents() {
        return agents.isEmpty() ? this : new PopulationManifest(domain, prefix, seed, instant, metadata, List.of());
    }

    /**
     * @param other another manifest
     * @return whether both describe the same population: same domain, prefix, seed and instant
     */
    public boolean sameHeader(PopulationManifest other) {
        return domain.equals(other.domain) && prefix.equals(other.prefix) && seed == other.seed
                && instant.equals(other.instant);
    }

    // ---- JSON

    /**
     * Reads a manifest file.
     *
     * @param file the file
     * @return the manifest
     * @throws ManifestException if the file is missing, not a manifest, malformed or of an unknown version
     * @throws UncheckedIOException if it cannot be read
     */
    public static PopulationManifest read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ManifestException(file, "no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read population manifest " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new ManifestException(file, e.getMessage());
        }
    }

    /**
     * Parses the JSON format.
     *
     * @param json the text
     * @return the manifest
     * @throws IllegalArgumentException saying what is wrong: not JSON, not a manifest, an unknown version, a
     *     missing or malformed field (naming the agent)
     */
    public static PopulationManifest parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException("not a population manifest (no \"format\": \"" + FORMAT + "\")");
        }
        int version = root.path("version").asInt(-1);
        if (version != VERSION) {
            throw new IllegalArgumentException("format version " + root.path("version") + " is not supported; this"
                    + " library reads version " + VERSION + (version > VERSION ? " (upgrade the library)" : ""));
        }
        Map<String, String> metadata = new TreeMap<>();
        JsonNode meta = root.path("metadata");
        if (!meta.isMissingNode() && !meta.isNull()) {
            if (!meta.isObject()) {
                throw new IllegalArgumentException("\"metadata\" must be an object of strings");
            }
            meta.properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
        }
        JsonNode list = root.path("agents");
        if (!list.isArray()) {
            throw new IllegalArgumentException("\"agents\" must be an array");
        }
        List<ManifestAgent> agents = new ArrayList<>(list.size());
        int index = 0;
        for (Iterator<JsonNode> it = list.elements(); it.hasNext(); index++) {
            agents.add(agent(it.next(), index));
        }
        JsonNode seed = root.path("seed");
        if (!seed.canConvertToLong() || !seed.isIntegralNumber()) {
            throw new IllegalArgumentException("\"seed\" must be an integer");
        }
        return new PopulationManifest(requiredText(root, "domain", "manifest"), root.path("prefix").asText(""),
                seed.asLong(), instant(requiredText(root, "instant", "manifest"), "\"instant\""), metadata, agents);
    }

    private static ManifestAgent agent(JsonNode n, int index) {
        String where = "agent #" + (index + 1);
        if (!n.isObject()) {
            throw new IllegalArgumentException(where + " is not an object");
        }
        String id = requiredText(n, "id", where);
        where = "agent '" + id + "'";
        MailboxAddress address;
        try {
            address = MailboxAddress.parse(requiredText(n, "address", where));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
        ManifestAgent.State state;
        try {
            state = ManifestAgent.State.fromJson(requiredText(n, "state", where));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
        return new ManifestAgent(id, n.path("firstName").asText(""), n.path("lastName").asText(""),
                n.path("username").asText(""), address, state,
                instant(requiredText(n, "changedAt", where), where + " \"changedAt\""));
    }

    private static String requiredText(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(where + " has no \"" + field + "\"");
        }
        return v.asText();
    }

    private static Instant instant(String text, String what) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(what + " is not an ISO-8601 instant: '" + text + "'");
        }
    }

    /** @return the JSON format: the header fields, then one agent per line */
    public String toJson() {
        StringBuilder out = new StringBuilder(256 + agents.size() * 220);
        out.append("{\n  \"format\": ").append(str(FORMAT))
                .append(",\n  \"version\": ").append(VERSION)
                .append(",\n  \"domain\": ").append(str(domain))
                .append(",\n  \"prefix\": ").append(str(prefix))
                .append(",\n  \"seed\": ").append(seed)
                .append(",\n  \"instant\": ").append(str(instant.toString()))
                .append(",\n  \"metadata\": {");
        String sep = "";
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            out.append(sep).append(str(e.getKey())).append(": ").append(str(e.getValue()));
            sep = ", ";
        }
        out.append("},\n  \"agents\": [");
        sep = "\n    ";
        for (ManifestAgent a : agents) {
            out.append(sep).append("{\"id\": ").append(str(a.id()))
                    .append(", \"firstName\": ").append(str(a.firstName()))
                    .append(", \"lastName\": ").append(str(a.lastName()))
                    .append(", \"username\": ").append(str(a.username()))
                    .append(", \"address\": ").append(str(a.address().value()))
                    .append(", \"state\": ").append(str(a.state().jsonName()))
                    .append(", \"changedAt\": ").append(str(a.changedAt().toString())).append('}');
            sep = ",\n    ";
        }
        out.append(agents.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
        return out.toString();
    }

    private static String str(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string always serializes", e);
        }
    }

    /**
     * Writes the manifest atomically: into a temporary file next to {@code file} (owner read/write only where the
     * file system has POSIX permissions), forced to disk, then renamed over {@code file}, and the directory forced.
     * A reader, or a crash, sees the old file or the new one, never a mix.
     *
     * @param file the manifest file
     * @throws UncheckedIOException if it cannot be written; the old file is then unchanged
     */
    public void write(Path file) {
        AtomicFiles.write(file, toJson().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PopulationManifest m && seed == m.seed && domain.equals(m.domain) && prefix.equals(m.prefix)
                && instant.equals(m.instant) && metadata.equals(m.metadata) && agents.equals(m.agents);
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, prefix, seed, instant, metadata, agents);
    }

    @Override
    public String toString() {
        return "PopulationManifest[domain=" + domain + ", prefix=" + prefix + ", seed=" + seed + ", instant=" + instant
                + ", agents=" + agents.size() + "]";
    }

    private static String key(MailboxAddress address) {
        return address.value().toLowerCase(Locale.ROOT);
    }

    /** Builds a {@link PopulationManifest}; values are checked by {@link #build()}. */
    public static final class Builder {
        private final String domain;
        private final long seed;
        private final Instant instant;
        private String prefix = "";
        private final Map<String, String> metadata = new TreeMap<>();
        private final List<ManifestAgent> agents = new ArrayList<>();

        private Builder(String domain, long seed, Instant instant) {
            this.domain = Objects.requireNonNull(domain, "domain");
            this.seed = seed;
            this.instant = Objects.requireNonNull(instant, "instant");
        }

        /**
         * @param label the prefix label in front of every address, empty for none
         * @return this builder
         */
        public Builder prefix(String label) {
            this.prefix = Objects.requireNonNull(label, "label");
            return this;
        }

        /**
         * @param key a key
         * @param value its value
         * @return this builder
         */
        public Builder metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @param list agents to add, in order
         * @return this builder
         */
        public Builder agents(Collection<ManifestAgent> list) {
            agents.addAll(list);
            return this;
        }

        /**
         * @return the manifest
         * @throws IllegalArgumentException for an invalid domain or prefix, a duplicate id or address, or an
         *     address outside the domain
         */
        public PopulationManifest build() {
            return new PopulationManifest(domain, prefix, seed, instant, metadata, agents);
        }
    }
}
