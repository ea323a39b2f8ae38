package io.azt3knet.mail.examples.cli;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.bootstrap.BootstrapOptions;
import io.azt3knet.mail.bootstrap.DomainReport;
import io.azt3knet.mail.dns.DnsPlan;
import io.azt3knet.mail.examples.population.AgentGenerator;
import io.azt3knet.mail.inbox.MessageMatch;
import io.azt3knet.mail.inbox.StoredMessage;
import io.azt3knet.mail.provisioning.AgentOutcome;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.ProvisioningReport;
import io.azt3knet.mail.sandbox.Sandbox;
import io.azt3knet.mail.send.MailService;
import io.azt3knet.mail.send.OutgoingMessage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code azt3knet-mail demo}: the whole loop in one process, offline, through the code production runs. Names agents,
 * creates their sandbox mailboxes, publishes the domain's DNS in the sandbox zone, has agent 1 write to agent 2 over
 * SMTP (STARTTLS, AUTH as agent 1), lets the message travel the Mailjet webhook pipeline into agent 2's Maildir, has
 * agent 2 read it and reply in the thread, and agent 1 receive the reply. Prints every step with its time.
 */
@Command(name = "demo",
        description = {"The whole mail loop on this machine, offline, in the sandbox: name agents, create their",
            "mailboxes, publish the DNS, send over SMTP, receive through the webhook, read, reply, receive the reply."})
final class DemoCommand implements Callable<Integer> {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @ParentCommand
    private @Nullable Azt3knetMailCommand root;

    @Option(names = "--count", paramLabel = "<N>", defaultValue = "5",
            description = "how many agents, 2 to 1000 (default: ${DEFAULT-VALUE})")
    private int count;

    @Option(names = "--country", paramLabel = "<CC>", defaultValue = "ES",
            description = "ISO country code of their names (default: ${DEFAULT-VALUE})")
    private String country = "ES";

    @Option(names = "--seed", paramLabel = "<long>", defaultValue = "0",
            description = "population seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--sandbox-dir", paramLabel = "<dir>", defaultValue = SandboxOptions.DEFAULT_DIRECTORY,
            description = "the sandbox's directory (default: ${DEFAULT-VALUE})")
    private Path directory = Path.of(SandboxOptions.DEFAULT_DIRECTORY);

    private long mark;

    @Override
    public Integer call() {
        Azt3knetMailCommand top = Azt3knetMailCommand.parent(root, "demo");
        if (count < 2 || count > 1000) {
            throw CliException.badInput("--count must be between 2 and 1000, got " + count);
        }
        List<AgentIdentity> agents;
        try {
            agents = AgentGenerator.generate(count, country, seed);
        } catch (IllegalArgumentException e) {
            throw CliException.badInput("--country: " + e.getMessage());
        }
        Sandbox.running(directory).ifPresent(r -> {
            throw CliException.badInput("`sandbox up` runs on " + directory + " (pid " + r.pid() + "); the demo "
                    + "runs its own sandbox: stop it, or pass another --sandbox-dir");
        });
        quietServerLogs();
        PrintWriter out = top.out();
        String domain = Sandbox.domain(top.config(Map.of()));
        long start = System.nanoTime();
        mark = start;
        try (Sandbox sandbox = Sandbox.builder(directory).domain(domain).start()) {
            step(out, "started the sandbox in %s: SMTP on 127.0.0.1:%d (STARTTLS, certificate in tls/), webhook %s",
                    sandbox.directory(), sandbox.smtpPort(), sandbox.webhookUrl());

            MailAutomation mail = sandbox.automation();
            ProvisioningReport report = mail.provision(agents, mail.newNamer(seed, Clock.systemUTC()),
                    (outcome, done, total) -> { });
            if (!report.allSucceeded()) {
                report.failures().forEach(f -> top.err().println("demo: " + f.agent().id() + ": " + f.reason()));
                throw CliException.failed("demo: creating the mailboxes failed: " + report.summary());
            }
            step(out, "named %d %s agents and created their sandbox mailboxes, each with its own SMTP password (%s)",
                    count, country.toUpperCase(Locale.ROOT), report.summary());
            for (AgentOutcome o : report.outcomes()) {
                out.printf("          %-60s %s%n", o.address().orElseThrow(), o.agent().displayName());
            }

            DomainReport dns = mail.bootstrapDomain(BootstrapOptions.defaults().withDynDns(false)
                    .withVerification(Duration.ZERO, Duration.ofSeconds(1)));
            if (!dns.succeeded()) {
                out.println(dns.render());
                throw CliException.failed("demo: the DNS bootstrap in the sandbox failed");
            }
            int changes = dns.plan().map(DnsPlan::writes).map(List::size).orElse(0);
            step(out, "planned and applied the DNS of %s in the sandbox zone (%d record set(s) written); the zone:",
                    domain, changes);
            sandbox.dnsManager().zoneFile(domain).lines().forEach(l -> out.println("          " + l));

            MailboxCredentials first = report.outcomes().get(0).credentials().orElseThrow();
            MailboxCredentials second = report.outcomes().get(1).credentials().orElseThrow();
            String subject = "Hello from " + agents.get(0).displayName();
            String sent;
            try (MailService smtp = sandbox.mailService(first)) {
                sent = smtp.send(OutgoingMessage.builder().to(second.address().value(), agents.get(1).displayName())
                        .subject(subject)
                        .text("Hi " + agents.get(1).firstName() + ",\r\n\r\nthis came over SMTP with STARTTLS, as the "
                                + "Mailjet webhook would bring it.\r\n\r\n" + agents.get(0).firstName() + "\r\n")
                        .build());
            }
            step(out, "agent 1 sent \"%s\" to agent 2 over SMTP (STARTTLS, AUTH as %s): %s", subject,
                    first.address(), sent);

            StoredMessage received = sandbox.inbox().waitFor(second.address(),
                    MessageMatch.any().withSubjectContains(subject), WAIT);
            step(out, "agent 2 read it from its Maildir (Mailjet payload -> webhook -> parser -> Maildir): \"%s\" from %s",
                    received.summary().subject(), received.summary().from());

            String replySubject;
            String reply;
            try (MailService smtp = sandbox.mailService(second)) {
                OutgoingMessage answer = OutgoingMessage.replyTo(received)
                        .text("Hi " + agents.get(0).firstName() + ", got it. " + agents.get(1).firstName() + "\r\n")
                        .build();
                replySubject = answer.subject();
                reply = smtp.send(answer);
            }
            step(out, "agent 2 replied in the thread (In-Reply-To %s): %s", sent, reply);

            StoredMessage back = sandbox.inbox().waitFor(first.address(),
                    MessageMatch.any().withSubjectContains(replySubject), WAIT);
            if (!back.inReplyTo().map(sent::equals).orElse(false)) {
                throw CliException.failed("demo: the reply arrived outside the thread (In-Reply-To "
                        + back.inReplyTo().orElse("missing") + ")");
            }
            step(out, "agent 1 received the reply \"%s\", in its thread (In-Reply-To is agent 1's message)",
                    back.summary().subject());
        }
        out.printf("demo: done in %d ms, offline. Mail, zone and credentials stay in %s; run again, or use%n",
                (System.nanoTime() - start) / 1_000_000, directory);
        out.println("      `sandbox up` with `populate --sandbox` and `send --sandbox`. With real accounts, set "
                + "MAILJET_API_KEY, MAILJET_API_SECRET, DESEC_TOKEN and DESEC_DOMAIN and drop --sandbox.");
        out.flush();
        return Azt3knetMailCommand.EXIT_OK;
    }

    private int stepNumber;

    /**
     * The servers' start and stop lines would interleave with the steps (and stand before the one line that says why
     * {@code inbound-server} could not start); warnings and errors still show.
     */
    static void quietServerLogs() {
        for (String logger : List.of("org.subethamail", "org.eclipse.jetty",
                "io.azt3knet.mail.inbound.webhook.InboundWebhookServer")) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }

    private void step(PrintWriter out, String format, Object... args) {
        long now = System.nanoTime();
        out.printf(Locale.ROOT, "[%d] %6d ms  %s%n", ++stepNumber, (now - mark) / 1_000_000, String.format(Locale.ROOT,
                format, args));
        out.flush();
        mark = now;
    }
}
