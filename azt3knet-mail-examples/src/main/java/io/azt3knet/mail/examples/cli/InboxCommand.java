package io.azt3knet.mail.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.MessageWaitTimeoutException;
import io.azt3knet.mail.config.SettingsReader;
import io.azt3knet.mail.inbound.maildir.MaildirMessageStore;
import io.azt3knet.mail.inbox.MessageMatch;
import io.azt3knet.mail.inbox.MessageQuery;
import io.azt3knet.mail.inbox.MessageSummary;
import io.azt3knet.mail.inbox.StoredAttachment;
import io.azt3knet.mail.inbox.StoredMessage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code azt3knet-mail inbox list|read|wait|prune}: reads the agents' stored mail, from a Maildir written by
 * {@code inbound-server} ({@code --maildir}, either layout) or from the sandbox's ({@code --sandbox}).
 */
@Command(name = "inbox",
        description = "Read an agent's mailbox, wait for a message, delete old mail.",
        subcommands = {InboxCommand.ListMessages.class, InboxCommand.Read.class, InboxCommand.Wait.class,
            InboxCommand.Prune.class})
final class InboxCommand implements Callable<Integer> {


    @ParentCommand
    private @Nullable Azt3knetMailCommand root;

    /** Without a subcommand: a usage error, like the top command. */
    @Override
    public Integer call() {
        throw CliException.badInput("inbox needs a subcommand: list, read, wait or prune");
    }

    Azt3knetMailCommand top() {
        return Azt3knetMailCommand.parent(root, "inbox");
    }

    /** Where the mail is, and how to print it: shared by every inbox subcommand. */
    static final class Location {
        @Option(names = "--maildir", paramLabel = "<dir>",
                description = "the Maildir root: one Maildir per address (<dir>/<address>/) or one shared Maildir")
        @Nullable Path maildir;

        @Option(names = "--sandbox", description = "read the local sandbox's mail (<sandbox-dir>/maildir/<address>/)")
        boolean sandbox;

        @Option(names = "--sandbox-dir", paramLabel = "<dir>", defaultValue = ".azt3knet-sandbox",
                description = "the sandbox directory (default: ${DEFAULT-VALUE})")
        Path sandboxDir = Path.of(".azt3knet-sandbox");

        @Option(names = "--json", description = "print one JSON object per line")
        boolean json;

        MaildirMessageStore open() {
            if (sandbox == (maildir != null)) {
                throw CliException.badInput("say where the mail is: --maildir <dir> or --sandbox (one of them)");
            }
            Path dir = maildir;
            if (dir == null) {
                Path sandboxMail = sandboxDir.resolve("maildir");
                return MaildirMessageStore.builder(sandboxMail).layout(MaildirMessageStore.Layout.PER_RECIPIENT).build();
            }
            if (!Files.isDirectory(dir)) {
                throw CliException.badInput("--maildir " + dir + " is not a directory");
            }
            return MaildirMessageStore.builder(dir).build();
        }
    }

    static MailboxAddress address(String text) {
        try {
            return MailboxAddress.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw CliException.badInput("not an e-mail address: " + printable(text));
        }
    }

    static Duration duration(String option, String text) {
        return SettingsReader.parseDuration(text).filter(d -> !d.isNegative()).orElseThrow(() -> CliException.badInput(
                option + " must be a duration such as 500ms, 30s, 5m, 12h or 7d, got '" + printable(text) + "'"));
    }

    static String printable(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    /** The line {@code list}, {@code wait} and {@code prune} print for a message. */
    static String line(MessageSummary m, boolean json) {
        if (json) {
            return JsonLines.line(summaryJson(m));
        }
        return m.id() + "\t" + m.date() + "\t" + (m.seen() ? "seen" : "new") + "\t" + printable(m.from()) + "\t"
                + printable(m.subject()) + "\t" + m.size();
    }

    static ObjectNode summaryJson(MessageSummary m) {
        ObjectNode node = JsonLines.object();
        node.put("id", m.id());
        if (m.messageId().isPresent()) {
            node.put("messageId", m.messageId().get());
        } else {
            node.putNull("messageId");
        }
        node.put("from", m.from());
        node.put("to", m.to());
        node.put("subject", m.subject());
        node.put("date", m.date().toString());
        node.put("seen", m.seen());
        node.put("size", m.size());
        return node;
    }

    /** {@code inbox list <address> [--unseen] [--limit N]}. */
    @Command(name = "list", description = "List an agent's messages, newest first.")
    static final class ListMessages implements Callable<Integer> {
        @ParentCommand
        private @Nullable InboxCommand inbox;

        @Mixin
        private Location location = new Location();

        @Parameters(index = "0", paramLabel = "<address>", description = "the agent's address")
        private String address = "";

        @Option(names = "--unseen", description = "only messages not yet seen")
        private boolean unseen;

        @Option(names = "--limit", paramLabel = "<n>", defaultValue = "50",
                description = "at most this many messages (default: ${DEFAULT-VALUE})")
        private int limit;

        @Override
        public Integer call() {
            Azt3knetMailCommand top = parentOf(inbox).top();
            MailboxAddress mailbox = address(address);
            if (limit < 1) {
                throw CliException.badInput("--limit must be 1 or more, got " + limit);
            }
            try (MaildirMessageStore store = location.open()) {
                PrintWriter out = top.out();
                for (MessageSummary m : store.list(mailbox, MessageQuery.builder().unseenOnly(unseen).limit(limit).build())) {
                    out.println(line(m, location.json));
                }
            }
            return Azt3knetMailCommand.EXIT_OK;
        }
    }

    /** {@code inbox read <address> <id>}. */
    @Command(name = "read", description = "Print a message's headers and text body, and mark it seen.")
    static final class Read implements Callable<Integer> {
        @ParentCommand
        private @Nullable InboxCommand inbox;

        @Mixin
        private Location location = new Location();

        @Parameters(index = "0", paramLabel = "<address>", description = "the agent's address")
        private String address = "";

        @Parameters(index = "1", paramLabel = "<id>", description = "the message id, as list prints it")
        private String id = "";

        @Override
        public Integer call() {
            Azt3knetMailCommand top = parentOf(inbox).top();
            MailboxAddress mailbox = address(address);
            try (MaildirMessageStore store = location.open()) {
                StoredMessage m = store.get(mailbox, id).orElseThrow(() -> CliException.failed(
                        "no message " + printable(id) + " in the mailbox of " + mailbox.value()
                                + " (inbox list shows the ids)", new IllegalArgumentException(id)));
                store.markSeen(mailbox, id);
                PrintWriter out = top.out();
                if (location.json) {
                    ObjectNode node = summaryJson(m.summary());
                    node.put("seen", true);
                    node.put("text", m.text().orElse(""));
                    node.put("html", m.html().orElse(""));
                    var attachments = node.putArray("attachments");
                    for (StoredAttachment a : m.attachments()) {
                        attachments.addObject().put("fileName", a.fileName()).put("contentType", a.contentType())
                                .put("inline", a.inline());
                    }
                    out.println(JsonLines.line(node));
                } else {
                    printHeader(out, "From", m.summary().from());
                    printHeader(out, "To", m.summary().to());
                    m.headers().first("Cc").ifPresent(cc -> printHeader(out, "Cc", cc));
                    printHeader(out, "Date", m.summary().date().toString());
                    printHeader(out, "Subject", m.summary().subject());
                    m.summary().messageId().ifPresent(v -> printHeader(out, "Message-ID", v));
                    for (StoredAttachment a : m.attachments()) {
                        printHeader(out, "Attachment", a.fileName() + " (" + a.contentType() + ")");
                    }
                    out.println();
                    out.println(m.text().orElse(m.html().map(h -> "(no text body; the HTML body has " + h.length()
                            + " characters)").orElse("(no text body)")));
                }
            }
            return Azt3knetMailCommand.EXIT_OK;
        }

        private static void printHeader(PrintWriter out, String name, String value) {
            if (!value.isEmpty()) {
                out.println(name + ": " + printable(value));
            }
        }
    }

    /** {@code inbox wait <address> [--timeout 30s] [--from A] [--subject-contains S] [--peek]}. */
    @Command(name = "wait", description = {"Wait for the oldest unseen matching message, print it as list does and "
            + "mark it seen (unless --peek).", "Exit code 1 when none arrives within the timeout."})
    static final class Wait implements Callable<Integer> {
        @ParentCommand
        private @Nullable InboxCommand inbox;

        @Mixin
        private Location location = new Location();

        @Parameters(index = "0", paramLabel = "<address>", description = "the agent's address")
        private String address = "";

        @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "30s",
                description = "how long to wait, e.g. 500ms, 30s, 5m (default: ${DEFAULT-VALUE})")
        private String timeout = "30s";

        @Option(names = "--from", paramLabel = "<text>", description = "the From header must contain this")
        private @Nullable String from;

        @Option(names = "--subject-contains", paramLabel = "<text>", description = "the subject must contain this")
        private @Nullable String subjectContains;

        @Option(names = "--peek", description = "leave the message unseen")
        private boolean peek;

        @Override
        public Integer call() {
            Azt3knetMailCommand top = parentOf(inbox).top();
            MailboxAddress mailbox = address(address);
            Duration limit = duration("--timeout", timeout);
            MessageMatch match = MessageMatch.any();
            try {
                if (from != null) {
                    match = match.withFrom(from);
                }
                if (subjectContains != null) {
                    match = match.withSubjectContains(subjectContains);
                }
            } catch (IllegalArgumentException e) {
                throw CliException.badInput("--from and --subject-contains must not be blank");
            }
            try (MaildirMessageStore store = location.open()) {
                StoredMessage m = peek ? store.peekFor(mailbox, match, limit) : store.waitFor(mailbox, match, limit);
                top.out().println(line(m.summary(), location.json));
            } catch (MessageWaitTimeoutException e) {
                throw CliException.failed("no matching message within " + printable(timeout.strip())
                        + " (" + match.describe() + " for " + mailbox.value() + ")", e);
            }
            return Azt3knetMailCommand.EXIT_OK;
        }
    }

    /** {@code inbox prune --older-than DURATION [--address A] [--dry-run]}. */
    @Command(name = "prune", description = "Delete stored messages delivered longer ago than --older-than.")
    static final class Prune implements Callable<Integer> {
        @ParentCommand
        private @Nullable InboxCommand inbox;

        @Mixin
        private Location location = new Location();

        @Option(names = "--older-than", required = true, paramLabel = "<duration>",
                description = "delete what was delivered longer ago than this, e.g. 30d, 12h")
        private String olderThan = "";

        @Option(names = "--address", paramLabel = "<address>", description = "only this mailbox (default: all)")
        private @Nullable String address;

        @Option(names = "--dry-run", description = "print what would be deleted, delete nothing")
        private boolean dryRun;

        @Override
        public Integer call() {
            Azt3knetMailCommand top = parentOf(inbox).top();
            Duration age = duration("--older-than", olderThan);
            Optional<MailboxAddress> mailbox = Optional.ofNullable(address).map(InboxCommand::address);
            try (MaildirMessageStore store = location.open()) {
                List<MessageSummary> removed = store.prune(age, mailbox, dryRun);
                PrintWriter out = top.out();
                for (MessageSummary m : removed) {
                    if (location.json) {
                        ObjectNode node = summaryJson(m);
                        node.put("mailbox", m.mailbox());
                        node.put("deliveredAt", m.deliveredAt().toString());
                        node.put("deleted", !dryRun);
                        out.println(JsonLines.line(node));
                    } else {
                        out.println((dryRun ? "would delete\t" : "deleted\t") + printable(m.mailbox()) + "\t"
                                + m.deliveredAt() + "\t" + line(m, false));
                    }
                }
                top.err().println((dryRun ? "would delete " : "deleted ") + removed.size() + " message"
                        + (removed.size() == 1 ? "" : "s") + " delivered more than " + printable(olderThan.strip())
                        + " ago" + mailbox.map(a -> " from " + a.value()).orElse(" from all mailboxes"));
            }
            return Azt3knetMailCommand.EXIT_OK;
        }
    }

    private static InboxCommand parentOf(@Nullable InboxCommand inbox) {
        if (inbox == null) {
            throw new IllegalStateException("inbox subcommands run below inbox");
        }
        return inbox;
    }
}
