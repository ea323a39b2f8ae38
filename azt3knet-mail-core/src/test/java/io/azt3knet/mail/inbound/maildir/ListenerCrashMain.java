package io.azt3knet.mail.inbound.maildir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run in a separate JVM by {@link MessageListenerTest}: subscribes a listener that appends each subject to a
 * log and halts the JVM (no shutdown hook, no finally block) while handling message number {@code haltAt},
 * after logging it. Arguments: root, log file, haltAt.
 */
public final class ListenerCrashMain {

    static final String NAME = "crashy";
    static final int HALTED = 9;

    private ListenerCrashMain() {
    }

    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[1]);
        int haltAt = Integer.parseInt(args[2]);
        AtomicInteger count = new AtomicInteger();
        MaildirMessageStore store = MaildirMessageStore.builder(Path.of(args[0])).build();
        store.subscribe(NAME, m -> {
            Files.writeString(log, m.summary().subject() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            if (count.incrementAndGet() == haltAt) {
                Runtime.getRuntime().halt(HALTED);
            }
        });
        Thread.sleep(60_000); // halted long before
        System.exit(1);
    }
}
