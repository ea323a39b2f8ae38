package io.azt3knet.mail.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.config.ProvisioningSettings;
import io.azt3knet.mail.examples.population.AgentGenerator;
import io.azt3knet.mail.naming.MailboxNamer;
import io.azt3knet.mail.naming.StandardMailboxNamer;
import io.azt3knet.mail.provisioning.AgentOutcome;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.ProvisioningReport;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

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

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    private @Nullable Azt3knetMailCommand root;

    @Option(names = "--count", required = true, paramLabel = "<N>", description = "how many agents (1 to 100000)")
    private int count;

    @Option(names = "--country", required = true, paramLabel = "<CC>",
            description = "ISO country code: ES, US, DE, FR, IT, BR, RU, CN, JP, IN, ...")
    private String country = "";

    @Mixin
    private NamingOptions naming = new NamingOptions();

    @Mixin
    private SandboxOptions sandbox = new SandboxOptions();

    @Option(names = "--create-mailboxes", description = "prepare the domain at the provider and create every mailbox")
    private boolean createMailboxes;

    @Option(names = "--concurrency", paramLabel = "<n>", defaultValue = "16",
            description = "mailboxes created at once (default: ${DEFAULT-VALUE})")
    private int concurrency;

    @Option(names = "--json", description = "print one JSON object per agent")
    private boolean json;

    @Option(names = "--show-secrets", description = "print SMTP passwords instead of ****")
    private boolean showSecrets;

    @Override
    public Integer call() throws Exception {
        Azt3knetMailCommand top = Azt3knetMailCommand.parent(root, "populate");
        if (count < 1 || count > 100_000) {
            throw CliException.badInput("--count must be between 1 and 100000, got " + count);
        }
        List<AgentIdentity> agents;
        try {
            agents = AgentGenerator.generate(count, country, naming.seed());
        } catch (IllegalArgumentException e) {
            throw CliException.badInput("--country: " + e.getMessage());
        }
        Map<String, String> overrides = new HashMap<>(sandbox.overrides(top.config(naming.overrides())));
        overrides.putAll(naming.overrides()); // --domain wins over the sandbox's default domain
        ConfigSource config = top.config(overrides);
        Instant instant = naming.at().orElseGet(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS));
        Clock clock = Clock.fixed(instant, ZoneOffset.UTC);
        top.err().printf("populate: %d %s agents, seed %d, at %s (pass --seed %d --at %s to get the same addresses)%n",
                count, country.toUpperCase(java.util.Locale.ROOT), naming.seed(), instant, naming.seed(), instant);
        return createMailboxes ? provision(top, config, agents, clock) : preview(top, config, agents, clock);
    }

    private int preview(Azt3knetMailCommand top, ConfigSource config, List<AgentIdentity> agents, Clock clock) throws Exception {
        MailboxNamer namer = StandardMailboxNamer.builder(ProvisioningSettings.from(config)).seed(naming.seed()).clock(clock).build();
        PrintWriter out = top.out();
        for (AgentIdentity agent : agents) {
            MailboxAddress address = namer.name(agent);
            if (json) {
                ObjectNode node = agentJson(agent);
                node.put("address", address.value());
                out.println(JSON.writeValueAsString(node));
            } else {
                out.printf("%s  %-32s %s%n", agent.id(), agent.displayName(), address);
            }
        }
        out.flush();
        return Azt3knetMailCommand.EXIT_OK;
    }

    private int provision(Azt3knetMailCommand top, ConfigSource config, List<AgentIdentity> agents, Clock clock)
            throws Exception {
        try (MailAutomation mail = sandbox.enabled() ? sandbox.automation(config) : SandboxOptions.withSandboxHint(
                () -> MailAutomation.fromConfiguration(config, MailAutomation.Scope.MAILBOXES))) {
            String d = mail.settings().domain();
            top.err().printf("populate: preparing %s at %s%n", d, mail.provisioner().providerName());
            mail.provisioner().prepareDomain(d);
            ProvisioningReport report;
            try (Progress progress = Progress.start("provisioning", agents.size(), top.err(), top.isInteractive())) {
                report = mail.provision(agents, mail.newNamer(naming.seed(), clock), (o, done, total) -> progress.update(done));
            }
            PrintWriter out = top.out();
            for (AgentOutcome o : report.outcomes()) {
                out.println(json ? JSON.writeValueAsString(outcomeJson(o)) : outcomeLine(o));
            }
            out.flush();
            top.err().println("populate: " + report.summary());
            report.failures().forEach(f -> top.err().printf("  failed %s %s: %s%n", f.agent().id(),
                    f.address().map(MailboxAddress::value).orElse("(unnamed)"), f.reason()));
            return report.allSucceeded() ? Azt3knetMailCommand.EXIT_OK : Azt3knetMailCommand.EXIT_FAILED;
        }
    }

    private static ObjectNode agentJson(AgentIdentity agent) {
        ObjectNode node = JSON.createObjectNode();
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
}
