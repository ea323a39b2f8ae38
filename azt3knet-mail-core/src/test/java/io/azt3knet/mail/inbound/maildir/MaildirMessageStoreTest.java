package io.azt3knet.mail.inbound.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.inbound.DeliveryKey;
import io.azt3knet.mail.inbound.InboundAttachment;
import io.azt3knet.mail.inbound.InboundMessage;
import io.azt3knet.mail.inbound.MessageHeaders;
import io.azt3knet.mail.inbox.MessageMatch;
import io.azt3knet.mail.inbox.MessageQuery;
import io.azt3knet.mail.inbox.MessageSummary;
import io.azt3knet.mail.MessageWaitTimeoutException;
import io.azt3knet.mail.inbox.StoredAttachment;
import io.azt3knet.mail.inbox.StoredMessage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaildirMessageStoreTest {

    static final MailboxAddress ADA = MailboxAddress.parse("ada@agents.example");
    static final MailboxAddress BOB = MailboxAddress.parse("bob@agents.example");

    @TempDir
    Path root;

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static InboundMessage mail(MailboxAddress to, String messageId, String from, String subject) {
        return mail(to, messageId, from, subject, MessageHeaders.builder());
    }

    static InboundMessage mail(MailboxAddress to, String messageId, String from, String subject,
            MessageHeaders.Builder headers) {
        return InboundMessage.builder().recipient(to.value()).from(from).subject(subject)
                .headers(headers.add("Message-ID", messageId).build()).text("Body of " + subject).build();
    }

    static void store(MaildirSink sink, InboundMessage m) throws Exception {
        assertThat(sink.accept(m, DeliveryKey.forMessageId(m.recipient(), m.messageId().orElseThrow())))
                .isEqualTo(io.azt3knet.mail.inbound.InboundSink.Result.STORED);
    }

    private MaildirSink perRecipientSink(Clock clock) {
        return MaildirSink.builder(root).perRecipient(true).clock(clock).build();
    }

    @Test
    void listsNewestFirstInPagesWithEveryFilterAndWithoutReadingBodies() throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        MaildirSink sink = perRecipientSink(clock);
        for (int i = 1; i <= 5; i++) {
            store(sink, mail(ADA, "<m" + i + "@example.org>", i % 2 == 0 ? "Carol <carol@example.org>"
                    : "Dan <dan@example.org>", "Report " + i));
            clock.advance(Duration.ofMinutes(1));
        }
        store(sink, mail(BOB, "<other@example.org>", "dan@example.org", "Not Ada's"));
        try (MaildirMessageStore inbox = MaildirMessageStore.builder(root).build()) {
            List<MessageSummary> all = inbox.list(ADA, MessageQuery.all());
            assertThat(all).extracting(MessageSummary::subject)
                    .containsExactly("Report 5", "Report 4", "Report 3", "Report 2", "Report 1");
            MessageSummary newest = all.get(0);
            assertThat(newest.messageId()).contains("<m5@example.org>");
            assertThat(newest.from()).isEqualTo("Dan <dan@example.org>");
            assertThat(newest.to()).isEqualTo(ADA.value());
            assertThat(newest.mailbox()).isEqualTo(ADA.value());
            assertThat(newest.deliveredAt()).isEqualTo(Instant.parse("2026-01-01T00:04:00Z"));
            assertThat(newest.seen()).isFalse();
            assertThat(newest.size()).isEqualTo(Files.size(root.resolve(ADA.value()).resolve("new").resolve(newest.id())));

            assertThat(inbox.list(ADA, MessageQuery.builder().offset(1).limit(2).build()))
                    .extracting(MessageSummary::subject).containsExactly("Report 4", "Report 3");
            assertThat(inbox.list(ADA, MessageQuery.builder().from("CAROL@example.org").build()))
                    .extracting(MessageSummary::subject).containsExactly("Report 4", "Report 2");
            assertThat(inbox.list(ADA, MessageQuery.builder().subjectContains("report 3").build()))
                    .extracting(MessageSummary::subject).containsExactly("Report 3");
            assertThat(inbox.list(ADA, MessageQuery.builder().since(Instant.parse("2026-01-01T00:03:00Z")).build()))
                    .extracting(MessageSummary::subject).containsExactly("Report 5", "Report 4");

            assertThat(inbox.markSeen(ADA, all.get(1).id())).isTrue();
            assertThat(inbox.list(ADA, MessageQuery.builder().unseenOnly(true).build()))
                    .extracting(MessageSummary::subject).containsExactly("Report 5", "Report 3", "Report 2", "Report 1");
            assertThat(inbox.list(MailboxAddress.parse("nobody@agents.example"), MessageQuery.all())).isEmpty();
        }
    }

    @Test
    void readsOneSharedMaildirFilteredByDeliveredTo() throws Exception {
        MaildirSink sink = MaildirSink.builder(root).build();
        store(sink, mail(ADA, "<a@example.org>", "x@example.org", "For Ada"));
        store(sink, mail(BOB, "<b@example.org>", "x@example.org", "For Bob"));
        try (MaildirMessageStore inbox = MaildirMessageStore.builder(root).build()) {
            List<MessageSummary> ada = inbox.list(ADA, MessageQuery.all());
            assertThat(ada).extracting(MessageSummary::subject).containsExactly("For Ada");
            assertThat(inbox.list(BOB, MessageQuery.all())).extracting(MessageSummary::subject).containsExactly("For Bob");
            assertThat(inbox.get(BOB, ada.get(0).id())).as("not Bob's message").isEmpty();
            assertThat(inbox.delete(BOB, ada.get(0).id())).isFalse();
            assertThat(inbox.get(ADA, ada.get(0).id())).isPresent();
            assertThat(inbox.waitFor(BOB, MessageMatch.any(), Duration.ZERO).summary().subject()).isEqualTo("For Bob");
        }
    }

    @Test
    void opensTheTextHtmlHeadersAndStreamsAttachments() throws Exception {
        MaildirSink sink = perRecipientSink(Clock.systemUTC());
        byte[] pdf = new byte[300_000];
        new java.util.Random(7).nextBytes(pdf);
        InboundMessage m = InboundMessage.builder().recipient(ADA.value()).from("Zoë <zoe@example.org>")
                .subject("Grüße mit Anhang")
                .headers(MessageHeaders.builder().add("Message-ID", "<att@example.org>")
                        .add("Reply-To", "replies@example.org").add("X-Custom", "kept").build())
                .text("Hello Ada").html("<p>Hello <b>Ada</b></p>")
                .attachments(List.of(new InboundAttachment("report.pdf", "application/pdf", "", false, pdf),
                        new InboundAttachment("logo.png", "image/png", "logo", true, new byte[] {1, 2, 3})))
                .build();
        store(sink, m);
        try (MaildirMessageStore inbox = MaildirMessageStore.builder(root).build()) {
            MessageSummary s = inbox.list(ADA, MessageQuery.all()).get(0);
            assertThat(s.subject()).isEqualTo("Grüße mit Anhang");
            assertThat(s.from()).isEqualTo("Zoë <zoe@example.org>");
            StoredMessage opened = inbox.get(ADA, s.id()).orElseThrow();
            assertThat(opened.text()).contains("Hello Ada");
            assertThat(opened.html()).contains("<p>Hello <b>Ada</b></p>");
            assertThat(opened.headers().first("X-Custom")).contains("kept");
            assertThat(opened.headers().first("Reply-To")).contains("replies@example.org");
            assertThat(opened.attachments()).extracting(StoredAttachment::fileName, StoredAttachment::contentType,
                    StoredAttachment::inline).containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("report.pdf", "application/pdf", false),
                            org.assertj.core.groups.Tuple.tuple("logo.png", "image/png", true));
            StoredAttachment report = opened.attachments().stream().filter(a -> a.fileName().equals("report.pdf"))
                    .findFirst().orElseThrow();
            assertThat(inbox.markSeen(ADA, s.id())).isTrue(); // the file moves: the stream still finds it
            try (InputStream in = report.openStream()) {
                assertThat(in.readAllBytes()).isEqualTo(pdf);
            }
            assertThat(opened.attachments().stream().filter(StoredAttachment::inline).findFirst().orElseThrow().contentId())
                    .contains("logo");
            assertThat(inbox.get(ADA, "../../etc/passwd")).isEmpty();
            assertThat(inbox.get(ADA, "no-such-id")).isEmpty();
        }
    }

    @Test
    void markSeenRenamesIntoCurWithTheSeenFlagAndDeleteUnlinks() throws Exception {
        MaildirSink sink = perRecipientSink(Clock.systemUTC());
        store(sink, mail(ADA, "<s@example.org>", "x@example.org", "One"));
        Path maildir = root.resolve(ADA.value());
        try (MaildirMessageStore inbox = MaildirMessageStore.builder(root).build()) {
            String id = inbox.list(ADA, MessageQuery.all()).get(0).id();
            assertThat(inbox.markSeen(ADA, id)).isTrue();
            assertThat(files(maildir.resolve("new"))).isEmpty();
            assertThat(files(maildir.resolve("cur"))).extracting(p -> p.getFileName().toString())
                    .containsExactly(id + ":2,S");
            assertThat(inbox.markSeen(ADA, id)).as("already seen: still true").isTrue();
            assertThat(inbox.list(ADA, MessageQuery.all()).get(0).seen()).isTrue();

            // a client's other flags are kept, in ASCII order
            Files.move(maildir.resolve("cur").resolve(id + ":2,S"), maildir.resolve("cur").resolve(id + ":2,F"));
            assertThat(inbox.markSeen(ADA, id)).isTrue();
            assertThat(files(maildir.resolve("cur"))).extracting(p -> p.getFileName().toString())
                    .containsExactly(id + ":2,FS");

            assertThat(inbox.delete(ADA, id)).isTrue();
            assertThat(files(maildir.resolve("cur"))).isEmpty();
            assertThat(inbox.delete(ADA, id)).isFalse();
            assertThat(inbox.markSeen(ADA, id)).isFalse();
        }
    }

    @Test
    void waitForReturnsTheOldestUnseenMatchAlreadyThereAndMarksItSeenWhilePeekDoesNot() throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        MaildirSink sink = perRecipientSink(clock);
        store(sink, mail(ADA, "<1@example.org>", "carol@example.org", "first"));
        clock.advance(Duration.ofSeconds(1));
        store(sink, mail(ADA, "<2@example.org>", "dan@example.org", "second"));
        clock.advance(Duration.ofSeconds(1));
        store(sink, mail(ADA, "<3@example.org>", "dan@example.org", "third"));
        try (MaildirMessageStore inbox = MaildirMessageStore.builder(root).build()) {
            MessageMatch fromDan = MessageMatch.any().withFrom("dan@example.org");
            assertThat(inbox.peekFor(ADA, fromDan, Duration.ZERO).summary().subject()).isEqualTo("second");
            assertThat(inbox.peekFor(ADA, fromDan, Duration.ZERO).summary().seen()).isFalse();
            StoredMessage got = inbox.waitFor(ADA, fromDan, Duration.ZERO);
            assertThat(got.summary().subject()).isEqualTo("second");
            assertThat(got.summary().seen()).isTrue();
            assertThat(inbox.waitFor(ADA, fromDan, Duration.ZERO).summary().subject()).isEqualTo("third");
            assertThat(inbox.waitFor(ADA, MessageMatch.any(), Duration.ZERO).summary().subject()).isEqualTo("first");
            assertThatThrownBy(() -> inbox.waitFor(ADA, MessageMatch.any(), Duration.ZERO))
                    .isInstanceOf(MessageWaitTimeoutException.class);
        }
    }

    @Test
    void waitForHonoursTheTimeoutAndSaysWhatItWaitedForAndHowLong() {
        try (MaildirMessageStore inbox = MaildirMessageStore.builder(root).build()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> inbox.waitFor(ADA, MessageMatch.any().withFrom("carol@example.org")
                    .withSubjectContains("invoice"), Duration.ofMillis(400)))
                    .isInstanceOf(MessageWaitTimeoutException.class)
                    .hasMessage("no matching message (from carol@example.org, subject containing \"invoice\") for "
                            + "ada@agents.example within 400ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
    }

    @Test
    void aMessageStoredLaterInThisProcessWakesTheWaitWithoutPollingOrWatching() throws Exception {
        MaildirSink sink = perRecipientSink(Clock.systemUTC());
        // no native watch and a 10 s poll: only the sink's in-process signal can end the wait early
        try (MaildirMessageStore inbox = MaildirMessageStore.builder(root).nativeWatch(false)
                .pollInterval(Duration.ofSeconds(10)).build()) {
            ExecutorService writer = Executors.newSingleThreadExecutor();
            try {
                long start = System.nanoTime();
                Future<?> stored = writer.submit(() -> {
                    Thread.sleep(300);
                    store(sink, mail(ADA, "<late@example.org>", "x@example.org", "late"));
                    return null;
                });
                StoredMessage got = inbox.waitFor(ADA, MessageMatch.any(), Duration.ofSeconds(60));
                long waited = System.nanoTime() - start;
                assertThat(got.summary().subject()).isEqualTo("late");
                assertThat(Duration.ofNanos(waited)).as("woken by the signal, long before the 10 s poll")
                        .isLessThan(Duration.ofSeconds(9));
                stored.get();
            } finally {
                writer.shutdownNow();
            }
        }
    }

    @Test
    void aMessageRenamedIntoNewByAnotherWriterWakesTheWaitThroughTheWatchServiceOrThePoll() throws Exception {
        Path maildir = root.resolve(ADA.value());
        for (String sub : List.of("tmp", "new", "cur")) {
            Files.createDirectories(maildir.resolve(sub));
        }
        for (boolean nativeWatch : List.of(true, false)) {
            try (MaildirMessageStore inbox = MaildirMessageStore.builder(root).nativeWatch(nativeWatch)
                    .pollInterval(nativeWatch ? Duration.ofSeconds(10) : Duration.ofMillis(50)).build()) {
                ExecutorService writer = Executors.newSingleThreadExecutor();
                try {
                    String name = "1767225600.M1P1Q" + nativeWatch + ".otherhost";
                    Future<?> written = writer.submit(() -> {
                        Thread.sleep(300);
                        Path tmp = maildir.resolve("tmp").resolve(name);
                        Files.writeString(tmp, "From: x@example.org\r\nSubject: foreign " + nativeWatch
                                + "\r\nMessage-ID: <f" + nativeWatch + "@example.org>\r\n\r\nbody\r\n");
                        Files.move(tmp, maildir.resolve("new").resolve(name), StandardCopyOption.ATOMIC_MOVE);
                        return null;
                    });
                    long start = System.nanoTime();
                    StoredMessage got = inbox.waitFor(ADA, MessageMatch.any(), Duration.ofSeconds(60));
                    assertThat(got.summary().subject()).isEqualTo("foreign " + nativeWatch);
                    assertThat(got.text()).contains("body\r\n");
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(9));
                    written.get();
                } finally {
                    writer.shutdownNow();
                }
            }
        }
    }

    @Test
    void aMessageStoredByAnotherProcessWakesTheWait() throws Exception {
        try (MaildirMessageStore inbox = MaildirMessageStore.builder(root).build()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    InboxWriterMain.class.getName(), root.toString(), ADA.value(), "1", "500")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                StoredMessage got = inbox.waitFor(ADA, MessageMatch.any(), Duration.ofSeconds(60));
                assertThat(got.summary().subject()).isEqualTo("from another process 0");
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(child.exitValue()).isZero();
            } finally {
                child.destroyForcibly();
            }
        }
    }

    @Test
    void successiveWaitsWhileAHundredMessagesArriveConcurrentlyReturnEachExactlyOnce() throws Exception {
        MaildirSink sink = perRecipientSink(Clock.systemUTC());
        try (MaildirMessageStore inbox = MaildirMessageStore.builder(root).build()) {
            ExecutorService writers = Executors.newFixedThreadPool(4);
            ExecutorService otherWaiter = Executors.newSingleThreadExecutor();
            try {
                List<Future<?>> stores = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    int n = i;
                    stores.add(writers.submit(() -> {
                        store(sink, mail(ADA, "<c" + n + "@example.org>", "x@example.org", "concurrent " + n));
                        return null;
                    }));
                }
                Set<String> taken = ConcurrentHashMap.newKeySet();
                List<String> duplicates = new ArrayList<>();
                // a second reader competes for the same messages
                Future<Integer> other = otherWaiter.submit(() -> {
                    int count = 0;
                    for (int i = 0; i < 30; i++) {
                        if (!taken.add(inbox.waitFor(ADA, MessageMatch.any(), Duration.ofSeconds(30)).id())) {
                            synchronized (duplicates) {
                                duplicates.add("other");
                            }
                        }
                        count++;
                    }
                    return count;
                });
                for (int i = 0; i < 70; i++) {
                    if (!taken.add(inbox.waitFor(ADA, MessageMatch.any(), Duration.ofSeconds(30)).id())) {
                        synchronized (duplicates) {
                            duplicates.add("main");
                        }
                    }
                }
                assertThat(other.get(60, TimeUnit.SECONDS)).isEqualTo(30);
                for (Future<?> f : stores) {
                    f.get();
                }
                assertThat(duplicates).isEmpty();
                assertThat(taken).hasSize(100);
                assertThat(inbox.list(ADA, MessageQuery.builder().limit(1000).build()))
                        .hasSize(100).allMatch(MessageSummary::seen);
                assertThatThrownBy(() -> inbox.waitFor(ADA, MessageMatch.any(), Duration.ZERO))
                        .isInstanceOf(MessageWaitTimeoutException.class);
            } finally {
                writers.shutdownNow();
                otherWaiter.shutdownNow();
            }
        }
    }

    @Test
    void threadsAThreeMessageConversationAndLeavesOtherMailOut() throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        MaildirSink sink = perRecipientSink(clock);
        store(sink, mail(ADA, "<q@example.org>", "carol@example.org", "Question"));
        clock.advance(Duration.ofMinutes(1));
        store(sink, mail(ADA, "<other@example.org>", "dan@example.org", "Unrelated"));
        clock.advance(Duration.ofMinutes(1));
        // the middle message (Ada's own reply) is not in her inbox: the third links to the first through References
        store(sink, mail(ADA, "<r2@example.org>", "carol@example.org", "Re: Question",
                MessageHeaders.builder().add("In-Reply-To", "<r1@example.org>")
                        .add("References", "<q@example.org> <r1@example.org>")));
        clock.advance(Duration.ofMinutes(1));
        store(sink, mail(ADA, "<r3@example.org>", "erin@example.org", "Re: Question",
                MessageHeaders.builder().add("In-Reply-To", "<r2@example.org>")));
        try (MaildirMessageStore inbox = MaildirMessageStore.builder(root).build()) {
            List<MessageSummary> all = inbox.list(ADA, MessageQuery.all());
            String first = all.get(all.size() - 1).id();
            assertThat(inbox.thread(ADA, first)).extracting(s -> s.messageId().orElseThrow())
                    .containsExactly("<q@example.org>", "<r2@example.org>", "<r3@example.org>");
            assertThat(inbox.thread(ADA, all.get(0).id())).hasSize(3);
            String unrelated = all.stream().filter(s -> s.subject().equals("Unrelated")).findFirst().orElseThrow().id();
            assertThat(inbox.thread(ADA, unrelated)).extracting(MessageSummary::subject).containsExactly("Unrelated");
            assertThat(inbox.thread(ADA, "missing")).isEmpty();
        }
    }

    @Test
    void prunesByDeliveryTimeInOneMailboxOrAllAndReportsWhatWentOrWouldGo() throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        MaildirSink sink = perRecipientSink(clock);
        store(sink, mail(ADA, "<old-a@example.org>", "x@example.org", "old a"));
        store(sink, mail(BOB, "<old-b@example.org>", "x@example.org", "old b"));
        clock.advance(Duration.ofDays(10));
        store(sink, mail(ADA, "<new-a@example.org>", "x@example.org", "new a"));
        clock.advance(Duration.ofDays(1));
        try (MaildirMessageStore inbox = MaildirMessageStore.builder(root).clock(clock).build()) {
            assertThat(inbox.prune(Duration.ofDays(7), Optional.empty(), true))
                    .extracting(MessageSummary::subject, MessageSummary::mailbox)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("old a", ADA.value()),
                            org.assertj.core.groups.Tuple.tuple("old b", BOB.value()));
            assertThat(inbox.list(ADA, MessageQuery.all())).hasSize(2);

            assertThat(inbox.prune(Duration.ofDays(7), Optional.of(ADA), false)).extracting(MessageSummary::subject)
                    .containsExactly("old a");
            assertThat(inbox.list(ADA, MessageQuery.all())).extracting(MessageSummary::subject).containsExactly("new a");
            assertThat(inbox.list(BOB, MessageQuery.all())).hasSize(1);

            assertThat(inbox.prune(Duration.ofDays(7), Optional.empty(), false)).extracting(MessageSummary::subject)
                    .containsExactly("old b");
            assertThat(inbox.list(BOB, MessageQuery.all())).isEmpty();
        }
    }

    static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /** Ids in a set, for readability of assertions. */
    static Set<String> ids(List<MessageSummary> summaries) {
        Set<String> ids = new HashSet<>();
        summaries.forEach(s -> ids.add(s.id()));
        return ids;
    }

    static String readLine(Process p) throws Exception {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }
}
