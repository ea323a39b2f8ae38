package io.azt3knet.mail.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.config.ProvisioningSettings;
import io.azt3knet.mail.examples.population.AgentGenerator;
import io.azt3knet.mail.mailjet.MailjetCredentialsMode;
import io.azt3knet.mail.mailjet.MailjetProvisioner;
import io.azt3knet.mail.naming.MailboxNamer;
import io.azt3knet.mail.naming.StandardMailboxNamer;
import io.azt3knet.mail.population.ManifestAgent;
import io.azt3knet.mail.population.ManifestFile;
import io.azt3knet.mail.population.PopulationManifest;
import io.azt3knet.mail.population.PopulationPlan;
import io.azt3knet.mail.provisioning.AgentOutcome;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.ProvisioningReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code azt3knet-mail populate}: generates agents typical of a country, deterministically from a seed, and
 * prints them with their addresses; with {@code --create-mailboxes} it also prepares the domain at the mail
 * provider and provisions every mailbox.
 */
@Command(name = "populate",
        description = {"Generate N agents with names typical of a country and print them with their addresses.",
            "Same --seed and --at give the same agents and addresses; re-running with --create-mailboxes",
            "then creates nothing new, and repairs a run that stopped midway."})
final class PopulateCommand implements Callable<Integer> {

    /** The manifest metadata key of the country the agents were generated for. */
    static final String COUNTRY = "country";

    @ParentCommand
    private @Nullable Azt3knetMailCommand root;

    @Option(names = "--count", paramLabel = "<N>",
            description = "how many agents (1 to 100000); with --manifest of an existing population: grow it to N")
    private @Nullable Integer count;

    @Option(names = "--country", paramLabel = "<CC>",
            description = "ISO country code: ES, US, DE, FR, IT, BR, RU, CN, JP, IN, ... (kept in the manifest)")
    private @Nullable String country;

    @Option(names = "--manifest", paramLabel = "<file>",
            description = {"population manifest: written with --create-mailboxes; an existing one is re-applied",
                "(repairs what is missing, creates nothing new) or grown with --count N, with its own seed and instant"})
    private @Nullable Path manifestPath;

    @Option(names = "--plan", description = "with --manifest: print what an apply would do (to create, to repair,"
            + " unchanged, retired) from one listing of the provider; writes nothing")
    private boolean plan;

    @Spec
    private @Nullable CommandSpec spec;

    @Mixin
    private NamingOptions naming = new NamingOptions();

    @Mixin
    private SandboxOptions sandbox = new SandboxOptions();

    @Option(names = "--create-mailboxes", description = "prepare the domain at the provider and create every mailbox")
    private boolean createMailboxes;

    @Option(names = "--concurrency", paramLabel = "<n>",
            description = "mailboxes created at once, 1 to 256 (default: AZT3KNET_PROVISIONING_CONCURRENCY, else 16)")
    private @Nullable Integer concurrency;

    @Option(names = "--json", description = "print one JSON object per agent")
    private boolean json;

    @Option(names = "--show-secrets", description = "print SMTP passwords instead of ****")
    private boolean showSecrets;

    @Option(names = "--credentials", paramLabel = "<mode>",
            description = {"the agents' SMTP logins at Mailjet: account (the account's key pair), population (one",
                "sub-account key for this population, found again on every run) or agent (one key per agent);",
                "default: " + MailjetCredentialsMode.MODE + ", else account. See SECURITY.md for the trade-off."})
    private @Nullable String credentials;

    /** The population's name when none is configured: its domain, instant and seed, the same on every run. */
    static String populationName(String domain, Instant instant, long seed) {
        return domain.strip().toLowerCase(Locale.ROOT) + "-" + POPULATION_INSTANT.format(instant) + "-"
                + Long.toUnsignedString(seed);
    }

    private static final java.time.format.DateTimeFormatter POPULATION_INSTANT =
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    /**
     * What {@code --credentials} adds to the configuration: the mode and, for {@code population}, the population's
     * name when none is configured.
     */
    private Map<String, String> credentialOverrides(ConfigSource config, Instant instant, long seed) {
        if (credentials == null && config.get(MailjetCredentialsMode.MODE).isEmpty()) {
            return Map.of();
        }
        if (sandbox.enabled()) {
            if (credentials != null) {
                throw CliException.badInput("--credentials chooses Mailjet logins; the sandbox issues each agent its"
                        + " own SMTP password: drop --credentials or --sandbox");
            }
            return Map.of();
        }
        Map<String, String> more = new HashMap<>();
        if (credentials != null) {
            more.put(MailjetCredentialsMode.MODE, credentials);
        }
        String mode = credentials != null ? credentials : config.get(MailjetCredentialsMode.MODE).orElse("");
        java.util.Optional<String> domain = config.get(ProvisioningSettings.DOMAIN);
        if (mode.strip().equalsIgnoreCase("population") && config.get(MailjetCredentialsMode.POPULATION).isEmpty()
                && domain.isPresent()) {
            more.put(MailjetCredentialsMode.POPULATION, populationName(domain.get(), instant, seed));
        }
        return more;
    }

    /** Says which logins the agents get, when the provider is Mailjet. */
    private static void describeCredentials(Azt3knetMailCommand top, MailAutomation mail) {
        if (mail.provisioner() instanceof MailjetProvisioner mailjet) {
            MailjetCredentialsMode mode = mailjet.credentialsMode();
            String what;
            if (mode instanceof MailjetCredentialsMode.Population p) {
                what = "one sub-account key for this population, '" + p.keyName() + "'";
            } else if (mode instanceof MailjetCredentialsMode.PerAgent) {
                what = "one sub-account key per agent";
            } else {
                what = "the account's own key pair (every agent holds the whole account; see SECURITY.md)";
            }
            top.err().printf("populate: SMTP logins (%s=%s): %s%n", MailjetCredentialsMode.MODE, mode.configName(), what);
        }
    }

    @Override
    public Integer call() throws Exception {
        Azt3knetMailCommand top = Azt3knetMailCommand.parent(root, "populate");
        if (manifestPath != null) {
            return withManifest(top, manifestPath);
        }
        if (plan) {
            throw CliException.badInput("--plan needs --manifest <file>: the plan compares a manifest with the provider");
        }
        if (count == null || country == null) {
            throw CliException.badInput("--count <N> and --country <CC> are required (or --manifest <file> to re-apply"
                    + " a population)");
        }
        int count = checkedCount(this.count);
        String country = this.country;
        List<AgentIdentity> agents = generate(count, country, naming.seed());
        Map<String, String> overrides = new HashMap<>(sandbox.overrides(top.config(naming.overrides())));
        overrides.putAll(naming.overrides()); // --domain wins over the sandbox's default domain
        overrides.putAll(tuning());
        Instant instant = naming.at().orElseGet(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS));
        overrides.putAll(credentialOverrides(top.config(overrides), instant, naming.seed()));
        ConfigSource config = top.config(overrides);
        Clock clock = Clock.fixed(instant, ZoneOffset.UTC);
        top.err().printf("populate: %d %s agents, seed %d, at %s (pass --seed %d --at %s to get the same addresses)%n",
                count, country.toUpperCase(java.util.Locale.ROOT), naming.seed(), instant, naming.seed(), instant);
        return createMailboxes ? provision(top, config, agents, clock) : preview(top, config, agents, clock);
    }

    private static int checkedCount(int n) {
        if (n < 1 || n > 100_000) {
            throw CliException.badInput("--count must be between 1 and 100000, got " + n);
        }
        return n;
    }

    private static List<AgentIdentity> generate(int n, String country, long seed) {
        try {
            return AgentGenerator.generate(n, country, seed);
        } catch (IllegalArgumentException e) {
            throw CliException.badInput("--country: " + e.getMessage());
        }
    }

    private int preview(Azt3knetMailCommand top, ConfigSource config, List<AgentIdentity> agents, Clock clock) throws Exception {
        MailboxNamer namer = StandardMailboxNamer.builder(ProvisioningSettings.from(config)).seed(naming.seed()).clock(clock).build();
        PrintWriter out = top.out();
        for (AgentIdentity agent : agents) {
            MailboxAddress address = namer.name(agent);
            if (json) {
                ObjectNode node = agentJson(agent);
                node.put("address", address.value());
                out.println(JsonLines.line(node));
            } else {
                out.printf("%s  %-32s %s%n", agent.id(), agent.displayName(), address);
            }
        }
        out.flush();
        return Azt3knetMailCommand.EXIT_OK;
    }

    /** {@code --concurrency}, as the configuration variable it overrides (checked where it is read). */
    private Map<String, String> tuning() {
        return concurrency == null ? Map.of() : Map.of(MailAutomation.CONCURRENCY, String.valueOf(concurrency));
    }

    private int provision(Azt3knetMailCommand top, ConfigSource config, List<AgentIdentity> agents, Clock clock)
            throws Exception {
        try (MailAutomation mail = sandbox.enabled() ? sandbox.automation(config) : SandboxOptions.withSandboxHint(
                () -> MailAutomation.fromConfiguration(config, MailAutomation.Scope.MAILBOXES))) {
            String d = mail.settings().domain();
            top.err().printf("populate: preparing %s at %s%n", d, mail.provisioner().providerName());
            describeCredentials(top, mail);
            mail.provisioner().prepareDomain(d);
            ProvisioningReport report;
            try (Progress progress = Progress.start("provisioning", agents.size(), top.err(), top.isInteractive())) {
                report = mail.provision(agents, mail.newNamer(naming.seed(), clock), (o, done, total) -> progress.update(done));
            }
            return printReport(top, report);
        }
    }

    private static ObjectNode agentJson(AgentIdentity agent) {
        ObjectNode node = JsonLines.object();
        node.put("id", agent.id());
        node.put("firstName", agent.firstName());
        node.put("lastName", agent.lastName());
        node.put("username", agent.usernameHint());
        return node;
    }

    private ObjectNode outcomeJson(AgentOutcome o) {
        ObjectNode node = agentJson(o.agent());
        o.address().ifPresent(a -> node.put("address", a.value()));
        node.put("status", o.status().name());
        o.credentials().ifPresent(c -> {
            node.put("displayName", c.displayName());
            node.put("smtpHost", c.smtpHost());
            node.put("smtpPort", c.smtpPort());
            node.put("smtpUsername", c.smtpUsername());
            node.put("smtpPassword", password(c));
            node.put("routeId", c.routeId());
        });
        if (o instanceof AgentOutcome.Failed f) {
            node.put("error", f.reason());
        }
        return node;
    }

    private String outcomeLine(AgentOutcome o) {
        String address = o.address().map(MailboxAddress::value).orElse("(unnamed)");
        if (o instanceof AgentOutcome.Failed f) {
            return String.format("%s  %-15s %s  %s", o.agent().id(), o.status(), address, f.reason());
        }
        MailboxCredentials c = o.credentials().get();
        return String.format("%s  %-15s %s  smtp %s:%d user %s password %s", o.agent().id(), o.status(), address,
                c.smtpHost(), c.smtpPort(), c.smtpUsername(), password(c));
    }

    private String password(MailboxCredentials c) {
        return showSecrets ? c.smtpPassword().reveal() : "****";
    }

    // ---- with a population manifest

    private int withManifest(Azt3knetMailCommand top, Path path) throws Exception {
        CommandSpec commandSpec = spec;
        ParseResult parsed = commandSpec == null ? null : commandSpec.commandLine().getParseResult();
        boolean seedGiven = parsed != null && parsed.hasMatchedOption("--seed");
        boolean exists = Files.exists(path);
        PopulationManifest recorded = null;
        ConfigSource config;
        Instant newInstant = Instant.EPOCH; // the instant of a new population, when --at does not give it
        if (exists) {
            PopulationManifest m = PopulationManifest.read(path);
            recorded = m;
            checkAgainstManifest(path, m, seedGiven);
            Map<String, String> extra = new HashMap<>(naming.overrides());
            extra.putAll(tuning());
            config = RetireCommand.manifestConfig(top, sandbox, path, m, extra);
            extra.putAll(credentialOverrides(config, m.instant(), m.seed()));
            config = RetireCommand.manifestConfig(top, sandbox, path, m, extra);
        } else {
            if (count == null || country == null) {
                throw CliException.badInput(path + " does not exist: create the population with --count <N> --country"
                        + " <CC> --create-mailboxes --manifest " + path);
            }
            if (!createMailboxes && !plan) {
                throw CliException.badInput(path + " does not exist and nothing would write it: add --create-mailboxes"
                        + " (or --plan to preview)");
            }
            Map<String, String> overrides = new HashMap<>(sandbox.overrides(top.config(naming.overrides())));
            overrides.putAll(naming.overrides());
            overrides.putAll(tuning());
            config = top.config(overrides);
            if (naming.at().isEmpty()) {
                newInstant = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            }
            overrides.putAll(credentialOverrides(config, naming.at().orElse(newInstant), naming.seed()));
            config = top.config(overrides);
        }
        try (MailAutomation mail = RetireCommand.automation(sandbox, config)) {
            PopulationManifest manifest = recorded;
            if (manifest == null) {
                Instant instant = naming.at().orElse(newInstant);
                manifest = PopulationManifest.builder(mail.settings().domain(), naming.seed(), instant)
                        .prefix(mail.settings().prefix())
                        .metadata(COUNTRY, Objects.requireNonNull(country).toUpperCase(Locale.ROOT)).build();
            }
            PopulationManifest target = grow(mail, manifest);
            top.err().printf("populate: %s: %d agents (%d new), seed %d, at %s, domain %s%n", path,
                    target.agents().size(), target.agents().size() - manifest.agents().size(), target.seed(),
                    target.instant(), target.domain());
            if (plan) {
                return printPlan(top, mail.plan(target));
            }
            if (!createMailboxes) {
                return printManifest(top, target);
            }
            top.err().printf("populate: preparing %s at %s%n", target.domain(), mail.provisioner().providerName());
            describeCredentials(top, mail);
            mail.provisioner().prepareDomain(target.domain());
            ManifestFile file;
            if (exists) {
                file = ManifestFile.open(path);
                if (!target.equals(manifest)) {
                    file.replace(target); // the new agents are recorded before any mailbox is created
                }
            } else {
                file = ManifestFile.create(path, target);
            }
            ProvisioningReport report;
            try (Progress progress = Progress.start("provisioning", (int) target.agents().stream()
                    .filter(a -> a.state() != ManifestAgent.State.RETIRED).count(), top.err(), top.isInteractive())) {
                report = mail.apply(file, (o, done, total) -> progress.update(done));
            }
            return printReport(top, report);
        }
    }

    private void checkAgainstManifest(Path path, PopulationManifest m, boolean seedGiven) {
        List<String> problems = new ArrayList<>();
        if (seedGiven && naming.seed() != m.seed()) {
            problems.add("--seed " + naming.seed() + " differs from the manifest's seed " + m.seed());
        }
        naming.at().filter(at -> !at.equals(m.instant())).ifPresent(at -> problems.add("--at " + at
                + " differs from the manifest's instant " + m.instant()));
        String recordedCountry = m.metadata().get(COUNTRY);
        if (country != null && recordedCountry != null && !country.equalsIgnoreCase(recordedCountry)) {
            problems.add("--country " + country + " differs from the manifest's country " + recordedCountry);
        }
        if (!problems.isEmpty()) {
            throw CliException.badInput(path + " records the population; " + String.join("; ", problems)
                    + ". Drop those options: the manifest's values are used.");
        }
    }

    private PopulationManifest grow(MailAutomation mail, PopulationManifest manifest) {
        if (count == null) {
            return manifest;
        }
        int n = checkedCount(count);
        if (n < manifest.agents().size()) {
            throw CliException.badInput("--count " + n + " is below the " + manifest.agents().size() + " agents of the"
                    + " manifest: a population does not shrink, retire agents instead");
        }
        String c = country != null ? country : manifest.metadata().get(COUNTRY);
        if (c == null) {
            throw CliException.badInput("the manifest records no country to generate more agents for: pass --country");
        }
        try {
            return mail.extend(manifest, generate(n, c, manifest.seed()));
        } catch (IllegalArgumentException e) {
            throw CliException.badInput("cannot grow the population: " + e.getMessage());
        }
    }

    private int printPlan(Azt3knetMailCommand top, PopulationPlan p) throws Exception {
        PrintWriter out = top.out();
        for (PopulationPlan.PlannedAgent a : p.agents()) {
            if (json) {
                ObjectNode node = JsonLines.object();
                node.put("id", a.agent().id());
                node.put("address", a.agent().address().value());
                node.put("state", a.agent().state().jsonName());
                node.put("action", a.action().name());
                node.put("reason", a.reason());
                out.println(JsonLines.line(node));
            } else {
                out.printf("%s  %-9s %s%s%n", a.agent().id(), a.action(), a.agent().address(),
                        a.reason().isEmpty() ? "" : "  " + a.reason());
            }
        }
        out.flush();
        top.err().printf("populate: plan at %s (%d mailboxes listed on %s): %s; nothing was written%n", p.provider(),
                p.mailboxesListed(), p.domain(), p.summary());
        return Azt3knetMailCommand.EXIT_OK;
    }

    private int printManifest(Azt3knetMailCommand top, PopulationManifest m) throws Exception {
        PrintWriter out = top.out();
        for (ManifestAgent a : m.agents()) {
            if (json) {
                ObjectNode node = agentJson(a.identity());
                node.put("address", a.address().value());
                node.put("state", a.state().jsonName());
                node.put("changedAt", a.changedAt().toString());
                out.println(JsonLines.line(node));
            } else {
                out.printf("%s  %-32s %-8s %s%n", a.id(), a.identity().displayName(), a.state().jsonName(), a.address());
            }
        }
        out.flush();
        return Azt3knetMailCommand.EXIT_OK;
    }

    private int printReport(Azt3knetMailCommand top, ProvisioningReport report) throws Exception {
        if (report.notStarted().isPresent()) { // one line, as for any failed operation: no agent was touched
            throw CliException.failed(report.notStarted().get());
        }
        PrintWriter out = top.out();
        for (AgentOutcome o : report.outcomes()) {
            out.println(json ? JsonLines.line(outcomeJson(o)) : outcomeLine(o));
        }
        out.flush();
        top.err().println("populate: " + report.summary());
        List<AgentOutcome.Failed> notAttempted = report.failures().stream().filter(f -> !f.attempted()).toList();
        report.failures().stream().filter(AgentOutcome.Failed::attempted).forEach(f -> top.err().printf(
                "  failed %s %s: %s%n", f.agent().id(), f.address().map(MailboxAddress::value).orElse("(unnamed)"),
                f.reason()));
        if (!notAttempted.isEmpty()) { // one line for all of them: the run stopped, they share the reason
            top.err().printf("populate: %d agents not attempted: %s%n", notAttempted.size(), notAttempted.get(0).reason());
        }
        return report.allSucceeded() ? Azt3knetMailCommand.EXIT_OK : Azt3knetMailCommand.EXIT_FAILED;
    }
}
