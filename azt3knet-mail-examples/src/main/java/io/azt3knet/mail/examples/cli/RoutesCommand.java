package io.azt3knet.mail.examples.cli;

import io.azt3knet.mail.inbound.webhook.InboundSecretRule;
import io.azt3knet.mail.mailjet.MailjetProvisioner;
import io.azt3knet.mail.mailjet.MailjetSettings;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code azt3knet-mail routes}: operations on the provider's inbound routes of this deployment.
 * {@code routes rotate-secret} points every route whose URL is {@code MAILJET_INBOUND_URL} at the current
 * {@code MAILJET_INBOUND_SECRET}; see {@code SECURITY.md} for the whole rotation.
 */
@Command(name = "routes", description = "Operations on this deployment's inbound routes at Mailjet.",
        subcommands = {RoutesCommand.RotateSecret.class})
final class RoutesCommand implements Callable<Integer> {

    @ParentCommand
    private @Nullable Azt3knetMailCommand root;

    /** Without a subcommand: a usage error. */
    @Override
    public Integer call() {
        throw CliException.badInput("routes needs a subcommand: rotate-secret");
    }

    /** @return the top command */
    Azt3knetMailCommand top() {
        return Azt3knetMailCommand.parent(root, "routes");
    }

    /** {@code routes rotate-secret}. */
    @Command(name = "rotate-secret",
            description = {"Point every route of MAILJET_INBOUND_URL at the current MAILJET_INBOUND_SECRET.",
                "Run inbound-server with the new secret and MAILJET_INBOUND_SECRET_PREVIOUS=<old> meanwhile;",
                "then restart it without the previous one. Routes of other URLs are left alone."})
    static final class RotateSecret implements Callable<Integer> {

        @ParentCommand
        private @Nullable RoutesCommand routes;

        @Option(names = "--dry-run", description = "print how many routes would be updated; change nothing")
        private boolean dryRun;

        @Option(names = "--json", description = "print one JSON object: routes, updated, dryRun")
        private boolean json;

        @Override
        public Integer call() {
            if (routes == null) {
                throw new IllegalStateException("rotate-secret runs as a subcommand of routes");
            }
            Azt3knetMailCommand top = routes.top();
            MailjetSettings settings = MailjetSettings.from(top.config(Map.of()));
            if (settings.inboundSecret().isEmpty()) {
                throw CliException.badInput(InboundSecretRule.VARIABLE + " is required: it is the new secret the "
                        + "routes will carry");
            }
            if (settings.inboundUrl().isEmpty()) {
                throw CliException.badInput(MailjetSettings.INBOUND_URL + " is required: only routes of that URL "
                        + "are rotated");
            }
            try (MailjetProvisioner mailjet = MailjetProvisioner.builder(settings).build()) {
                MailjetProvisioner.RouteRotation done = dryRun ? mailjet.planRouteRotation() : mailjet.repointRoutes();
                if (json) {
                    top.out().println(JsonLines.line(JsonLines.object().put("routes", done.routes())
                            .put("updated", done.updated()).put("dryRun", dryRun)));
                } else {
                    String others = done.updated() == done.routes() ? ""
                            : dryRun ? " (the others already carry it)" : " (the others already carried it)";
                    top.out().println((dryRun ? "would rotate " : "rotated ") + done.updated() + " of " + done.routes()
                            + " route(s) of " + settings.inboundUrl().get() + " to the current "
                            + InboundSecretRule.VARIABLE + others + (dryRun ? "; dry run, nothing changed" : ""));
                }
                top.out().flush();
            }
            return Azt3knetMailCommand.EXIT_OK;
        }
    }
}
