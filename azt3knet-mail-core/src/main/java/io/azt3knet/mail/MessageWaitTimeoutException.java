package io.azt3knet.mail;

import io.azt3knet.mail.inbox.MessageMatch;
import java.time.Duration;
import java.util.Objects;

/**
 * No message matching what {@link io.azt3knet.mail.inbox.MessageStore#waitFor} waited for arrived within its
 * timeout. The message says which mailbox, what was expected and for how long, e.g. {@code no matching message (from
 * ada@example.org) for bot@agents.example within 30s}; wait again, or check that the message was sent to
 * that address.
 */
public final class MessageWaitTimeoutException extends MailException {

    private static final long serialVersionUID = 1L;

    private final transient MailboxAddress address;
    private final transient MessageMatch match;
    private final Duration timeout;

    /**
     * @param address the mailbox waited on
     * @param match what was waited for
     * @param timeout how long
     */
    public MessageWaitTimeoutException(MailboxAddress address, MessageMatch match, Duration timeout) {
        super("no matching message " + (match.isAny() ? "" : "(" + match.describe() + ") ") + "for " + address.value()
                + " within " + format(timeout));
        this.address = Objects.requireNonNull(address, "address");
        this.match = match;
        this.timeout = timeout;
    }

    /** @return the mailbox waited on */
    public MailboxAddress address() {
        return address;
    }

    /** @return what was waited for */
    public MessageMatch match() {
        return match;
    }

    /** @return how long was waited */
    public Duration timeout() {
        return timeout;
    }

    /**
     * @param d a duration
     * @return a short human form: {@code 30s}, {@code 1.5s}, {@code 250ms}, {@code 2m}, {@code 1h30m}
     */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        if (d.toMillis() % 1000 != 0) {
            return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + "s";
        }
        long s = d.toSeconds();
        StringBuilder out = new StringBuilder();
        if (s >= 3600) {
            out.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            out.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0) {
            out.append(s).append('s');
        }
        return out.toString();
    }
}
