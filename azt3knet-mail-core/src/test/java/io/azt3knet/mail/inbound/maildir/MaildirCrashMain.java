package io.azt3knet.mail.inbound.maildir;

import io.azt3knet.mail.inbound.DeliveryKey;

import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link MaildirSinkTest}: stores one message and, once it is written and forced
 * to disk in {@code tmp/} but before the rename into {@code new/}, reports the temporary file and waits to
 * be killed.
 */
public final class MaildirCrashMain {

    private MaildirCrashMain() {
    }

    public static void main(String[] args) throws Exception {
        MaildirSink sink = MaildirSink.builder(Path.of(args[0])).build((stage, tmp) -> {
            if (stage != MaildirSink.Stage.BEFORE_PUBLISH) {
                return;
            }
            System.out.println("WRITTEN " + tmp);
            System.out.flush();
            try {
                Thread.sleep(120_000); // killed by the test long before this ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.exit(3); // never publish
        });
        sink.accept(MaildirSinkTest.message("<crash@example.org>"), DeliveryKey.forMessageId("agent@agents.example",
                "<crash@example.org>"));
    }
}
