package io.azt3knet.mail.inbound.maildir;

import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.inbound.DeliveryKey;
import io.azt3knet.mail.inbound.InboundMessage;
import java.nio.file.Path;

/**
 * Run in a separate JVM by the inbox tests: after {@code delayMillis}, stores {@code count} messages for one
 * address into a per-recipient root, as another process's webhook would. Arguments: root, address, count,
 * delayMillis.
 */
public final class InboxWriterMain {

    private InboxWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        MaildirSink sink = MaildirSink.builder(Path.of(args[0])).perRecipient(true).build();
        MailboxAddress to = MailboxAddress.parse(args[1]);
        int count = Integer.parseInt(args[2]);
        Thread.sleep(Long.parseLong(args[3]));
        for (int i = 0; i < count; i++) {
            InboundMessage m = MaildirMessageStoreTest.mail(to, "<proc" + i + "@example.org>", "x@example.org",
                    "from another process " + i);
            sink.accept(m, DeliveryKey.forMessageId(m.recipient(), m.messageId().orElseThrow()));
        }
    }
}
