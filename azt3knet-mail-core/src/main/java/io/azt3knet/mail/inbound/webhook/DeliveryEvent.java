package io.azt3knet.mail.inbound.webhook;

import java.util.Objects;
import java.util.Optional;

/**
 * What happened to one webhook call, reported to {@link InboundWebhookHandler.Builder#listener} (for example to
 * log one line per message): {@link Stored}, {@link Duplicate}, {@link Rejected} or {@link Failed}. Carries no
 * secret; the subject is the sender's text.
 */
public sealed interface DeliveryEvent {

    /** @return what became of the call, as an enum for switches and counters */
    Outcome outcome();

    /** @return the HTTP status answered */
    int status();

    /** @return how many body bytes were read */
    long bodyBytes();

    /** @return the envelope recipient, when the body was parsed */
    Optional<String> recipient();

    /** @return the subject, when the body was parsed */
    Optional<String> subject();

    /** @return a short explanation (why it was refused or failed), empty on success */
    default String detail() {
        return "";
    }

    /** What became of a webhook call. */
    enum Outcome {
        /** The message was stored. */
        STORED,
        /** A redelivery of a stored message: acknowledged, not stored again. */
        DUPLICATE,
        /** The call was refused with a 4xx (authentication, method, size, body too slow, malformed payload). */
        REJECTED,
        /** The sink or the parser failed; answered 5xx so that the sender retries. */
        FAILED
    }

    /** A parsed message answered 200: {@link Stored} or {@link Duplicate}. */
    sealed interface Acknowledged extends DeliveryEvent {

        /** @return the envelope recipient */
        String recipientAddress();

        /** @return the subject */
        String subjectText();

        @Override
        default int status() {
            return 200;
        }

        @Override
        default Optional<String> recipient() {
            return Optional.of(recipientAddress());
        }

        @Override
        default Optional<String> subject() {
            return Optional.of(subjectText());
        }
    }

    /**
     * The message was stored durably (answered 200).
     *
     * @param bodyBytes body bytes read
     * @param recipientAddress the envelope recipient
     * @param subjectText the subject
     */
    record Stored(long bodyBytes, String recipientAddress, String subjectText) implements Acknowledged {
        /** Validates that nothing is null. */
        public Stored {
            Objects.requireNonNull(recipientAddress, "recipientAddress");
            Objects.requireNonNull(subjectText, "subjectText");
        }

        @Override
        public Outcome outcome() {
            return Outcome.STORED;
        }
    }

    /**
     * A redelivery of a stored message: acknowledged with 200, not stored again.
     *
     * @param bodyBytes body bytes read
     * @param recipientAddress the envelope recipient
     * @param subjectText the subject
     */
    record Duplicate(long bodyBytes, String recipientAddress, String subjectText) implements Acknowledged {
        /** Validates that nothing is null. */
        public Duplicate {
            Objects.requireNonNull(recipientAddress, "recipientAddress");
            Objects.requireNonNull(subjectText, "subjectText");
        }

        @Override
        public Outcome outcome() {
            return Outcome.DUPLICATE;
        }
    }

    /**
     * The call was refused with a 4xx; the sender should not retry it unchanged.
     *
     * @param status the 4xx status answered
     * @param bodyBytes body bytes read
     * @param recipient the envelope recipient, when the body was parsed
     * @param subject the subject, when the body was parsed
     * @param detail why
     */
    record Rejected(int status, long bodyBytes, Optional<String> recipient, Optional<String> subject, String detail)
            implements DeliveryEvent {
        /** Validates that nothing is null. */
        public Rejected {
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public Outcome outcome() {
            return Outcome.REJECTED;
        }
    }

    /**
     * The parser or the sink failed; answered 5xx so that the sender retries.
     *
     * @param status the 5xx status answered
     * @param bodyBytes body bytes read
     * @param recipient the envelope recipient, when the body was parsed
     * @param subject the subject, when the body was parsed
     * @param detail what failed
     */
    record Failed(int status, long bodyBytes, Optional<String> recipient, Optional<String> subject, String detail)
            implements DeliveryEvent {
        /** Validates that nothing is null. */
        public Failed {
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public Outcome outcome() {
            return Outcome.FAILED;
        }
    }
}
