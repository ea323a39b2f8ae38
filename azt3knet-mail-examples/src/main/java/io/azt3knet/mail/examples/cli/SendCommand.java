package io.azt3knet.mail.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.MailSendException;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.config.SettingsReader;
import io.azt3knet.mail.internal.util.LogText;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.sandbox.RunningSandbox;
import io.azt3knet.mail.sandbox.Sandbox;
import io.azt3knet.mail.send.MailService;
import io.azt3knet.mail.send.OutgoingMessage;
import io.azt3knet.mail.mailjet.MailjetSettings;
import io.azt3knet.mail.send.SmtpSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code azt3knet-mail send}: sends one message as an agent over SMTP. The login is the Mailjet key pair
 * ({@code MAILJET_API_KEY} / {@code MAILJET_API_SECRET}); the relay is {@code MAILJET_SMTP_HOST} /
 * {@code MAILJET_SMTP_PORT} (default {@code in-v3.mailjet.com:587}, STARTTLS required; 465 means implicit TLS).
 */
@Command(name = "send",
        description = {"Send a message as an agent over SMTP (TLS always: STARTTLS on 587, implicit TLS on 465).",
            "Login from MAILJET_API_KEY / MAILJET_API_SECRET, relay from MAILJET_SMTP_HOST / MAILJET_SMTP_PORT."})
final class SendCommand implements Callable<Integer> {

    /** Variable holding the SMTP login (the Mailjet API key). */
    static final String API_KEY = "MAILJET_API_KEY";
    /** Variable holding the SMTP password (the Mailjet API secret). */
    static final String API_SECRET = "MAILJET_API_SECRET";

    @ParentCommand
    private @Nullable Azt3knetMailCommand root;

    @Option(names = "--json", description = "print one JSON object: messageId, from, to, cc, via")
    private boolean json;

    @Option(names = "--from", required = true, paramLabel = "<agent address>", description = "the agent's address")
    private String from = "";

    @Option(names = "--from-name", paramLabel = "<name>", description = "the agent's display name")
    private String fromName = "";

    @Option(names = "--to", required = true, paramLabel = "<address>", description = "recipient (repeatable)")
    private List<String> to = new ArrayList<>();

    @Option(names = "--cc", paramLabel = "<address>", description = "copy recipient (repeatable)")
    private List<String> cc = new ArrayList<>();

    @Option(names = "--subject", required = true, paramLabel = "<text>", description = "the subject")
    private String subject = "";

    @ArgGroup(exclusive = true, multiplicity = "1")
    private @Nullable Body body;

    @Option(names = "--attach", paramLabel = "<file>", description = "file to attach (repeatable)")
    private List<Path> attachments = new ArrayList<>();

    @Mixin
    private SandboxOptions sandbox = new SandboxOptions();

    @Option(names = "--custom-id", paramLabel = "<id>", description = "Mailjet custom id (X-MJ-CustomID header)")
    private @Nullable String customId;

    /** Exactly one body. */
    static final class Body {
        @Option(names = "--text", required = true, paramLabel = "<text>", description = "plain-text body")
        @Nullable String text;

        @Option(names = "--html", required = true, paramLabel = "<html>", description = "HTML body")
        @Nullable String html;
    }

    @Override
    public Integer call() {
        Azt3knetMailCommand top = Azt3knetMailCommand.parent(root, "send");
        if (body == null) {
            throw new IllegalStateException("send needs --text or --html (picocli enforces it)");
        }
        if (sandbox.enabled()) {
            return sendThroughSandbox(top);
        }
        ConfigSource config = top.config(Map.of());
        SettingsReader reader = new SettingsReader(config);
        String username = reader.required(API_KEY);
        Secret password = reader.secret(API_SECRET);
        String host = reader.string(MailjetSettings.SMTP_HOST, MailjetSettings.DEFAULT_SMTP_HOST);
        int port = reader.integer(MailjetSettings.SMTP_PORT, MailjetSettings.DEFAULT_SMTP_PORT, 1, 65535);
        SmtpSettings smtp = SmtpSettings.of(MailjetSettings.DEFAULT_SMTP_HOST, MailjetSettings.DEFAULT_SMTP_PORT);
        try {
            smtp = SmtpSettings.of(host, port);
        } catch (IllegalArgumentException e) {
            reader.problem(MailjetSettings.SMTP_HOST + " must be a host name: " + e.getMessage());
        }
        SandboxOptions.withSandboxHint(() -> {
            reader.validate();
            return reader;
        });

        OutgoingMessage message = message();
        MailboxAddress sender = address(from, "--from");
        MailService.Builder service = MailService.builder().settings(smtp);
        try {
            service.sender(sender, fromName);
        } catch (IllegalArgumentException e) {
            throw CliException.badInput("--from-name: " + LogText.escape(e.getMessage()));
        }
        try {
            service.login(username, password);
        } catch (IllegalArgumentException e) {
            throw CliException.badInput(API_KEY + ": " + LogText.escape(e.getMessage()));
        }
        try (MailService mail = service.build()) {
            printSent(top, mail.send(message), sender, message, smtp.host() + ":" + smtp.port());
        } catch (MailSendException e) {
            if (e.kind() == MailSendException.Kind.AUTHENTICATION && !e.retryable()) {
                // a refused login is the Mailjet key pair: say where it came from
                throw CliException.failed(e.getMessage() + " (" + API_KEY + " / " + API_SECRET + ")", e);
            }
            throw e;
        }
        top.out().flush();
        return Azt3knetMailCommand.EXIT_OK;
    }

    /** Logs in to the running {@code sandbox up} with the sandbox credentials of {@code --from}. */
    private int sendThroughSandbox(Azt3knetMailCommand top) {
        Path dir = sandbox.directory();
        RunningSandbox running = Sandbox.running(dir).orElseThrow(() -> CliException.badInput("no sandbox is running in "
                + dir.toAbsolutePath() + ": start one with `azt3knet-mail sandbox up --sandbox-dir " + dir
                + "` in another terminal, then send again"));
        MailboxAddress sender = address(from, "--from");
        MailboxCredentials credentials = running.credentials(sender).orElseThrow(() -> CliException.badInput(
                "--from " + sender + " has no mailbox in the sandbox " + dir + ": create it with `azt3knet-mail "
                + "populate --sandbox --create-mailboxes ...` (it prints the agents' addresses)"));
        if (!fromName.isEmpty()) {
            credentials = new MailboxCredentials(credentials.address(), fromName, credentials.smtpHost(),
                    credentials.smtpPort(), credentials.smtpUsername(), credentials.smtpPassword(),
                    credentials.routeId(), credentials.routeUrl());
        }
        OutgoingMessage message = message();
        try (MailService mail = running.mailService(credentials)) {
            printSent(top, mail.send(message), sender, message, "the sandbox at localhost:" + running.smtpPort());
        }
        top.out().flush();
        return Azt3knetMailCommand.EXIT_OK;
    }

    private void printSent(Azt3knetMailCommand top, String messageId, MailboxAddress sender, OutgoingMessage message,
            String via) {
        int recipients = message.to().size() + message.cc().size();
        if (json) {
            ObjectNode node = JsonLines.object().put("messageId", messageId).put("from", sender.value());
            ArrayNode to = node.putArray("to");
            message.to().forEach(r -> to.add(r.address().value()));
            ArrayNode cc = node.putArray("cc");
            message.cc().forEach(r -> cc.add(r.address().value()));
            top.out().println(JsonLines.line(node.put("via", via)));
        } else {
            top.out().println("sent " + messageId + " from " + sender + " to " + recipients + " recipient(s) via " + via);
        }
    }

    private OutgoingMessage message() {
        try {
            OutgoingMessage.Builder b = OutgoingMessage.builder().subject(subject);
            to.forEach(a -> b.to(address(a, "--to").value()));
            cc.forEach(a -> b.cc(address(a, "--cc").value()));
            Body content = body;
            if (content != null && content.text != null) {
                b.text(content.text);
            }
            if (content != null && content.html != null) {
                b.html(content.html);
            }
            for (Path file : attachments) {
                if (!Files.isRegularFile(file)) {
                    throw CliException.badInput("--attach " + file + ": no such file");
                }
                b.attach(file);
            }
            if (customId != null) {
                b.header("X-MJ-CustomID", customId);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw CliException.badInput(e.getMessage());
        }
    }

    private static MailboxAddress address(String text, String option) {
        try {
            return MailboxAddress.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw CliException.badInput(option + ": " + e.getMessage());
        }
    }
}
