package io.azt3knet.mail.send;

import io.azt3knet.mail.MailSendException;
import java.util.Objects;

/** What became of one message of a {@link MailService#sendAll batch}. */
public sealed interface SendOutcome {

    /**
     * The server accepted the message.
     *
     * @param messageId the {@code Message-ID} it was sent with
     */
    record Sent(String messageId) implements SendOutcome {
        /** Validates that nothing is null. */
        public Sent {
            Objects.requireNonNull(messageId, "messageId");
        }
    }

    /**
     * The message was not sent.
     *
     * @param error why, with its {@link MailSendException#kind() kind}
     */
    record Failed(MailSendException error) implements SendOutcome {
        /** Validates that nothing is null. */
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }
}
