package io.azt3knet.mail.benchmarks;

import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.inbound.DeliveryKey;
import io.azt3knet.mail.inbound.InboundMessage;
import io.azt3knet.mail.inbound.MessageHeaders;
import io.azt3knet.mail.inbound.maildir.MaildirMessageStore;
import io.azt3knet.mail.inbound.maildir.InboundMimeRenderer;
import io.azt3knet.mail.inbox.MessageQuery;
import io.azt3knet.mail.inbox.MessageSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Listing one mailbox of 10,000 messages (summaries only, newest first, every one returned), as
 * {@code inbox list --limit 10000} does. The files are the sink's ({@link InboundMimeRenderer}, its naming;
 * about 1 KB of headers, a 2 KB body that a listing must not read), half unseen in {@code new/}, half seen in
 * {@code cur/}. Goal: under 300 ms.
 *
 * <p>Run: {@code java -jar azt3knet-mail-benchmarks/target/benchmarks.jar InboxListBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InboxListBenchmark {

    private static final MailboxAddress AGENT = MailboxAddress.parse("ada.lovelace.042.20260101000000@agents.example");

    /** Messages in the mailbox. */
    @Param("10000")
    public int messages;

    private Path root;
    private MaildirMessageStore store;
    private MessageQuery everything;

    /** Writes the mailbox: the files the sink would write (rendered by its renderer), without forcing each. */
    @Setup(Level.Trial)
    public void store() throws IOException {
        root = Files.createTempDirectory("inbox-list-benchmark");
        Path maildir = root.resolve(AGENT.value());
        for (String sub : List.of("tmp", "new", "cur")) {
            Files.createDirectories(maildir.resolve(sub));
        }
        String body = "Lorem ipsum dolor sit amet. ".repeat(75);
        long start = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < messages; i++) {
            String id = "<m" + i + "@sender.example.org>";
            InboundMessage m = InboundMessage.builder().recipient(AGENT.value()).envelopeSender("bounce@sender.example.org")
                    .from("Grace Hopper <grace@sender.example.org>").subject("Status report " + i)
                    .headers(MessageHeaders.builder().add("Message-ID", id)
                            .add("Received", "from mail.sender.example.org by mx.agents.example with ESMTPS id " + i)
                            .add("DKIM-Signature", "v=1; a=rsa-sha256; d=sender.example.org; s=s1; " + "b".repeat(350))
                            .build())
                    .date(Instant.ofEpochSecond(start + i)).text(body).build();
            DeliveryKey key = DeliveryKey.forMessageId(AGENT.value(), id);
            // the sink's name form: <seconds>.M<micros>P<pid>Q<n>K<key>C<content>.<host>
            String name = (start + i) + ".M" + (i % 1_000_000) + "P1Q" + i + "K" + key.value() + "C" + key.value()
                    + ".bench";
            // half of them seen, in cur/ with the S flag, as a mailbox in use
            Path file = i % 2 == 0 ? maildir.resolve("new").resolve(name) : maildir.resolve("cur").resolve(name + ":2,S");
            Files.write(file, InboundMimeRenderer.toBytes(m));
        }
        store = MaildirMessageStore.builder(root).build();
        everything = MessageQuery.builder().limit(messages).build();
    }

    /** Deletes the mailbox. */
    @TearDown(Level.Trial)
    public void delete() throws IOException {
        store.close();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** @return every summary of the mailbox, newest first */
    @Benchmark
    public List<MessageSummary> listAll() {
        List<MessageSummary> all = store.list(AGENT, everything);
        if (all.size() != messages) {
            throw new IllegalStateException("listed " + all.size() + " of " + messages);
        }
        return all;
    }

    /** @return the newest 50 unseen: the everyday page */
    @Benchmark
    public List<MessageSummary> firstPageUnseen() {
        return store.list(AGENT, MessageQuery.builder().unseenOnly(true).limit(50).build());
    }
}
