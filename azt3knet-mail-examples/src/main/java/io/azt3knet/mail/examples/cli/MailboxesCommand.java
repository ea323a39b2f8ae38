package io.azt3knet.mail.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.population.PopulationManifest;
import io.azt3knet.mail.population.RetireOutcome;
import io.azt3knet.mail.population.RetirementReport;
import io.azt3knet.mail.provisioning.Mailbox;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code azt3knet-mail mailboxes list|orphans}: the provider's mailboxes on the configured domain, and those routed
 * to this deployment that no manifest mentions.
 */
@Command(name = "mailboxes",
        description = "List the provider's mailboxes on the domain, or find (and delete) orphaned ones.",
        subcommands = {MailboxesCommand.ListMailboxes.class, MailboxesCommand.Orphans.class})
final class MailboxesCommand implements Callable<Integer> {


    @ParentCommand
    private @Nullable Azt3knetMailCommand root;

    /** Without a subcommand: a usage error, like the top command. */
    @Override
    public Integer call() {
        throw CliException.badInput("mailboxes needs a subcommand: list or orphans");
    }

    Azt3knetMailCommand top() {
        return Azt3knetMailCommand.parent(root, "mailboxes");
    }

    private static ObjectNode json(Mailbox m, Optional<URI> ours) {
        ObjectNode node = JsonLines.object();
        node.put("address", m.address().value());
        node.put("routeId", m.routeId());
        node.put("routeUrl", m.routeUrl().toString());
        node.put("thisDeployment", ours.map(u -> u.equals(m.routeUrl())).orElse(false));
        return node;
    }

    private static String line(Mailbox m, Optional<URI> ours) {
        boolean mine = ours.map(u -> u.equals(m.routeUrl())).orElse(false);
        return String.format("%s  route %s -> %s%s", m.address(), m.routeId(), m.routeUrl(), mine ? "" : "  (elsewhere)");
    }

    /** {@code mailboxes list}. */
    @Command(name = "list", description = "List every mailbox at the provider on the configured domain (one listing).")
    static final class ListMailboxes implements Callable<Integer> {
        @ParentCommand
        private @Nullable MailboxesCommand parent;

        @Option(names = "--json", description = "print one JSON object per mailbox")
        private boolean json;

        @Mixin
        private SandboxOptions sandbox = new SandboxOptions();

        @Override
        public Integer call() throws Exception {
            Azt3knetMailCommand top = Azt3knetMailCommand.parent(parent == null ? null : parent.top(), "mailboxes list");
            Map<String, String> overrides = new HashMap<>(sandbox.overrides(top.config(Map.of())));
            try (MailAutomation mail = RetireCommand.automation(sandbox, top.config(overrides))) {
                Optional<URI> ours = mail.provisioner().inboundUrl();
                List<Mailbox> all = new ArrayList<>(mail.mailboxes());
                all.sort(Comparator.comparing(m -> m.address().value()));
                PrintWriter out = top.out();
                for (Mailbox m : all) {
                    out.println(json ? JsonLines.line(MailboxesCommand.json(m, ours)) : line(m, ours));
                }
                out.flush();
                top.err().printf("mailboxes: %d on %s at %s%n", all.size(), mail.settings().domain(),
                        mail.provisioner().providerName());
                return Azt3knetMailCommand.EXIT_OK;
            }
        }
    }

    /** {@code mailboxes orphans}. */
    @Command(name = "orphans",
            description = {"List the mailboxes on the domain whose route points at this deployment's inbound URL",
                "(MAILJET_INBOUND_URL) but that no given manifest mentions; --delete removes them.",
                "Routes pointing at any other URL belong to someone else and are never touched."})
    static final class Orphans implements Callable<Integer> {
        @ParentCommand
        private @Nullable MailboxesCommand parent;

        @Option(names = "--manifest", required = true, paramLabel = "<file>",
                description = "a manifest of this deployment's populations on the domain (repeatable: give them all)")
        private List<Path> manifests = new ArrayList<>();

        @Option(names = "--delete", description = "delete the orphans' mailboxes, with one outcome per mailbox")
        private boolean delete;

        @Option(names = "--json", description = "print one JSON object per mailbox")
        private boolean json;

        @Mixin
        private SandboxOptions sandbox = new SandboxOptions();

        @Override
        public Integer call() throws Exception {
            Azt3knetMailCommand top = Azt3knetMailCommand.parent(parent == null ? null : parent.top(), "mailboxes orphans");
            List<PopulationManifest> read = new ArrayList<>();
            for (Path p : manifests) {
                read.add(PopulationManifest.read(p));
            }
            Map<String, String> overrides = new HashMap<>(sandbox.overrides(top.config(Map.of())));
            try (MailAutomation mail = RetireCommand.automation(sandbox, top.config(overrides))) {
                List<Mailbox> orphans = mail.orphans(read);
                PrintWriter out = top.out();
                if (!delete) {
                    Optional<URI> ours = mail.provisioner().inboundUrl();
                    for (Mailbox m : orphans) {
                        out.println(json ? JsonLines.line(MailboxesCommand.json(m, ours)) : line(m, ours));
                    }
                    out.flush();
                    top.err().printf("mailboxes: %d orphans on %s (routed to this deployment, in no manifest)%n",
                            orphans.size(), mail.settings().domain());
                    return Azt3knetMailCommand.EXIT_OK;
                }
                RetirementReport report = mail.removeOrphans(orphans, false);
                for (RetireOutcome o : report.outcomes()) {
                    out.println(json ? JsonLines.line(RetireCommand.json(o, 0)) : RetireCommand.line(o, 0));
                }
                out.flush();
                top.err().println("mailboxes: orphans: " + report.summary());
                return report.allSucceeded() ? Azt3knetMailCommand.EXIT_OK : Azt3knetMailCommand.EXIT_FAILED;
            }
        }
    }
}
