package io.azt3knet.mail.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.config.ProvisioningSettings;
import io.azt3knet.mail.inbound.maildir.MaildirMessageStore;
import io.azt3knet.mail.inbox.MessageSummary;
import io.azt3knet.mail.population.ManifestFile;
import io.azt3knet.mail.population.PopulationManifest;
import io.azt3knet.mail.population.RetireOutcome;
import io.azt3knet.mail.population.RetirementReport;
import io.azt3knet.mail.provisioning.MailboxDeletion;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code azt3knet-mail retire}: deletes agents' mailboxes at the provider (their routes, and per-agent keys) and
 * marks them retired in the manifest, one outcome per agent. Stored mail is kept unless {@code --purge-mail}.
 */
@Command(name = "retire",
        description = {"Delete agents' mailboxes at the provider and mark them retired in the manifest.",
            "Idempotent: retiring a retired agent is a no-op, and re-running a retirement that stopped midway",
            "finishes it. Mail already stored is kept unless --purge-mail."})
final class RetireCommand implements Callable<Integer> {


    @ParentCommand
    private @Nullable Azt3knetMailCommand root;

    @Option(names = "--manifest", required = true, paramLabel = "<file>", description = "the population manifest")
    private Path manifest = Path.of("");

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Selection selection = new Selection();

    static final class Selection {
        @Option(names = "--agent", paramLabel = "<id|address>", required = true,
                description = "an agent to retire, by id or address (repeatable)")
        List<String> agents = new ArrayList<>();

        @Option(names = "--all", required = true, description = "every agent of the manifest")
        boolean all;
    }

    @Option(names = "--dry-run", description = "print what would be retired; write nothing anywhere")
    private boolean dryRun;

    @Option(names = "--purge-mail", description = "also delete the agents' stored mail (needs --maildir)")
    private boolean purgeMail;

    @Option(names = "--maildir", paramLabel = "<dir>", description = "the Maildir root the agents' mail is stored in")
    private @Nullable Path maildir;

    @Option(names = "--json", description = "print one JSON object per agent")
    private boolean json;

    @Mixin
    private SandboxOptions sandbox = new SandboxOptions();

    @Override
    public Integer call() throws Exception {
        Azt3knetMailCommand top = Azt3knetMailCommand.parent(root, "retire");
        Path dir = maildir;
        if (purgeMail && dir == null) {
            throw CliException.badInput("--purge-mail needs --maildir <dir>, the Maildir root the mail is stored in");
        }
        if (dir != null && !Files.isDirectory(dir)) {
            throw CliException.badInput("--maildir " + dir + " is not a directory");
        }
        ManifestFile file = ManifestFile.open(manifest);
        PopulationManifest m = file.current();
        try (MailAutomation mail = automation(sandbox, manifestConfig(top, sandbox, manifest, m, Map.of()))) {
            RetirementReport report = mail.retire(file, selection.all ? List.of() : selection.agents, dryRun);
            PrintWriter out = top.out();
            for (RetireOutcome o : report.outcomes()) {
                int purged = purgeMail && dir != null && !dryRun && o.succeeded() ? purge(dir, o) : 0;
                out.println(json ? JsonLines.line(json(o, purged)) : line(o, purged));
            }
            out.flush();
            top.err().println("retire: " + report.summary() + (dryRun ? "; nothing was written" : "")
                    + (purgeMail || dryRun ? "" : "; stored mail kept"));
            report.failures().forEach(f -> top.err().printf("  failed %s: %s (run the same command again)%n",
                    f.address(), f.reason()));
            return report.allSucceeded() ? Azt3knetMailCommand.EXIT_OK : Azt3knetMailCommand.EXIT_FAILED;
        }
    }

    /**
     * The configuration for working on a manifest's population: the manifest's domain and prefix, after checking that
     * the configured domain (sandbox's included), if any, is the same: a different one would mean the configuration
     * of another deployment.
     */
    static ConfigSource manifestConfig(Azt3knetMailCommand top, SandboxOptions sandbox, Path file, PopulationManifest m,
            Map<String, String> extra) {
        Map<String, String> overrides = new HashMap<>(sandbox.overrides(top.config(extra)));
        overrides.putAll(extra);
        String configured = top.config(overrides).get(ProvisioningSettings.DOMAIN).orElse(m.domain()).strip();
        if (!configured.equalsIgnoreCase(m.domain())) {
            throw CliException.badInput(file + " is a population of " + m.domain() + " but the configured domain ("
                    + ProvisioningSettings.DOMAIN + ", --domain or the sandbox's) is " + configured
                    + ": use that population's configuration");
        }
        overrides.put(ProvisioningSettings.DOMAIN, m.domain());
        overrides.put(ProvisioningSettings.PREFIX, m.prefix());
        return top.config(overrides);
    }

    /**
     * @param sandbox the command's sandbox options
     * @param config the configuration
     * @return the sandbox's automation with {@code --sandbox}, else the providers found on the class path
     */
    static MailAutomation automation(SandboxOptions sandbox, ConfigSource config) {
        return sandbox.enabled() ? sandbox.automation(config) : SandboxOptions.withSandboxHint(
                () -> MailAutomation.fromConfiguration(config, MailAutomation.Scope.MAILBOXES));
    }

    private static int purge(Path dir, RetireOutcome o) {
        try (MaildirMessageStore store = MaildirMessageStore.builder(dir).build()) {
            List<MessageSummary> removed = store.prune(Duration.ZERO, Optional.of(o.address()), false);
            return removed.size();
        }
    }

    static String line(RetireOutcome o, int purged) {
        String detail;
        if (o instanceof RetireOutcome.Retired r) {
            detail = r.deletion() == MailboxDeletion.Outcome.DELETED ? "mailbox deleted" : "mailbox was already gone";
        } else if (o instanceof RetireOutcome.WouldRetire w) {
            detail = w.atProvider() ? "would delete the mailbox" : "no mailbox at the provider; would mark it retired";
        } else if (o instanceof RetireOutcome.Failed f) {
            detail = f.reason();
        } else {
            detail = "retired before; nothing to do";
        }
        return String.format("%s  %-15s %s  %s%s", o.agentId().orElse("(orphan)"), o.status(), o.address(), detail,
                purged > 0 ? "; " + purged + " stored messages deleted" : "");
    }

    static ObjectNode json(RetireOutcome o, int purged) {
        ObjectNode node = JsonLines.object();
        o.agentId().ifPresent(id -> node.put("id", id));
        node.put("address", o.address().value());
        node.put("status", o.status().name());
        if (o instanceof RetireOutcome.Retired r) {
            node.put("mailbox", r.deletion().name());
        } else if (o instanceof RetireOutcome.WouldRetire w) {
            node.put("atProvider", w.atProvider());
        } else if (o instanceof RetireOutcome.Failed f) {
            node.put("error", f.reason());
        }
        if (purged > 0) {
            node.put("messagesDeleted", purged);
        }
        return node;
    }
}
