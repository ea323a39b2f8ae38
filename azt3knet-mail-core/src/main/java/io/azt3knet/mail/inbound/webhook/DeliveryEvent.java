package io.azt3knet.mail.inbound.webhook;

import java.util.Objects;
import java.util.Optional;

/**
 * What happened to one webhook call, reported to {@link InboundWebhookHandler.Builder#listener} (for
 * example to log one line per message). Carries no secret; the subject is the sender's text.
 *
 * @param outcome what became of the call
 * @param status the HTTP status answered
 * @param bodyBytes how many body bytes were read
 * @param recipient the envelope recipient, when the body was parsed
 * @param subject the subject, when the body was parsed
 * @param detail a short explanation (why it was refused or failed), empty on success
 */
public record DeliveryEvent(Outcome outcome, int status, long bodyBytes, Optional<String> recipient,
        Optional<String> subject, String detail) {

    /** What became of a webhook call. */
    public enum Outcome {
        /** The message was stored. */
        STORED,
        /** A redelivery of a stored message: acknowledged, not stored again. */
        DUPLICATE,
        /** The call was refused with a 4xx (authentication, method, size, body too slow, malformed payload). */
        REJECTED,
        /** The sink or the parser failed; answered 5xx so that the sender retries. */
        FAILED
    }

    /** Validates that nothing is null. */
    public DeliveryEvent {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(detail, "detail");
    }
}
