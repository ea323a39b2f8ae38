package io.azt3knet.mail.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.bootstrap.BootstrapOptions;
import io.azt3knet.mail.bootstrap.BootstrapStep;
import io.azt3knet.mail.bootstrap.DomainReport;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.config.SettingsReader;
import io.azt3knet.mail.dns.DnsChange;
import io.azt3knet.mail.dns.MailDnsOptions;
import io.azt3knet.mail.sandbox.SandboxDnsManager;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code azt3knet-mail dns-bootstrap}: the deployment's {@code dns_bootstrap} job. Safe to run at every
 * container start and from cron: a run with nothing changed writes nothing.
 */
@Command(name = "dns-bootstrap",
        description = {"Ensure the mail domain at the provider, publish its DKIM/SPF/ownership/MX/DMARC records",
            "in one atomic DNS write (SPF merged, never replaced), refresh DynDNS, and ask the provider to verify."})
final class DnsBootstrapCommand implements Callable<Integer> {

    @ParentCommand
    private @Nullable Azt3knetMailCommand root;

    @Mixin
    private SandboxOptions sandbox = new SandboxOptions();

    @Option(names = "--dry-run", description = "print the plan; change nothing anywhere")
    private boolean dryRun;

    @Option(names = "--json", description = "print the report as one JSON object: steps, plan, what was written")
    private boolean json;

    @Option(names = "--mail-host", description = "also keep mail.<domain> A pointing at this machine's public IP")
    private boolean mailHost;

    @Option(names = "--no-dyndns", description = "do not refresh the domain's DynDNS address")
    private boolean noDynDns;

    @Option(names = "--dmarc-policy", paramLabel = "<policy>",
            description = {"DMARC policy: ${COMPLETION-CANDIDATES}. Without it, a DMARC record is created (p=none)",
                "only when the domain has none, and an existing one is kept; with it, the record is enforced."})
    private MailDnsOptions.@Nullable DmarcPolicy dmarcPolicy;

    @Option(names = "--replace-mx",
            description = {"take the domain's mail over: replace an apex MX that points at another mail service.",
                "Without it such an MX is a conflict: the plan shows it and nothing is written (exit 1)."})
    private boolean replaceMx;

    @Option(names = "--dmarc-rua", paramLabel = "<address>", description = "address for DMARC aggregate reports")
    private @Nullable String dmarcRua;

    @Option(names = "--ttl", paramLabel = "<seconds>", defaultValue = "3600",
            description = "TTL of the records (raised to the zone's minimum; default: ${DEFAULT-VALUE})")
    private int ttl;

    @Option(names = "--wait", paramLabel = "<duration>", defaultValue = "2m",
            description = "how long to wait for the provider to see the DNS, e.g. 0s, 90s, 10m (default: ${DEFAULT-VALUE})")
    private String wait = "2m";

    @Override
    public Integer call() {
        Azt3knetMailCommand top = Azt3knetMailCommand.parent(root, "dns-bootstrap");
        Duration verification = SettingsReader.parseDuration(wait).filter(d -> !d.isNegative())
                .orElseThrow(() -> CliException.badInput("--wait must be a duration such as 0s, 90s or 10m, got '" + wait + "'"));
        MailDnsOptions dns;
        try {
            dns = MailDnsOptions.defaults().withTtl(ttl).withReplaceMx(replaceMx);
            if (dmarcPolicy != null) {
                dns = dns.withDmarcPolicy(dmarcPolicy).withDmarcEnforced(true);
            }
            if (dmarcRua != null) {
                dns = dns.withDmarcReports(MailboxAddress.parse(dmarcRua));
            }
        } catch (IllegalArgumentException e) {
            throw CliException.badInput(e.getMessage());
        }
        BootstrapOptions options = BootstrapOptions.defaults().withDns(dns).withDryRun(dryRun).withMailHost(mailHost)
                .withDynDns(!noDynDns).withVerification(verification, Duration.ofSeconds(15));
        ConfigSource config = top.config(sandbox.overrides(top.config(Map.of())));
        try (MailAutomation mail = sandbox.enabled() ? sandbox.automation(config)
                : SandboxOptions.withSandboxHint(() -> MailAutomation.fromConfiguration(config,
                        MailAutomation.Scope.DOMAIN))) {
            DomainReport report = mail.bootstrapDomain(options);
            top.out().println(json ? JsonLines.line(toJson(report)) : report.render());
            if (!json && sandbox.enabled() && mail.dnsManager().orElseThrow() instanceof SandboxDnsManager zone) {
                top.out().println();
                top.out().print(zone.zoneFile(mail.settings().domain()));
            }
            top.out().flush();
            if (!report.succeeded()) { // the report went to standard output; the reason goes where every failure's does
                report.steps().stream().filter(s -> s.status() == BootstrapStep.Status.FAILED).findFirst()
                        .ifPresent(s -> top.err().println("azt3knet-mail dns-bootstrap: " + s.name() + " failed: "
                                + s.detail().lines().findFirst().orElse("")));
                top.err().flush();
                return Azt3knetMailCommand.EXIT_FAILED;
            }
            return Azt3knetMailCommand.EXIT_OK;
        }
    }

    private static ObjectNode toJson(DomainReport report) {
        ObjectNode node = JsonLines.object().put("domain", report.domain()).put("dryRun", report.dryRun())
                .put("succeeded", report.succeeded()).put("dnsWritten", report.dnsWritten());
        ArrayNode steps = node.putArray("steps");
        for (BootstrapStep step : report.steps()) {
            steps.addObject().put("name", step.name()).put("status", step.status().name())
                    .put("detail", step.detail()).put("millis", step.duration().toMillis());
        }
        report.plan().ifPresent(plan -> {
            ArrayNode changes = node.putArray("changes");
            for (DnsChange change : plan.changes()) {
                ObjectNode c = changes.addObject().put("action", change.action().name())
                        .put("subname", change.key().subname()).put("type", change.key().type())
                        .put("ttl", change.after().ttl());
                change.after().records().forEach(c.putArray("records")::add);
            }
            plan.notes().forEach(node.putArray("notes")::add);
        });
        report.dynDns().ifPresent(d -> node.putObject("dynDns").put("action", d.action().name())
                .put("ipv4", d.update().ipv4().map(Inet4Address::getHostAddress).orElse("-")));
        return node;
    }
}
