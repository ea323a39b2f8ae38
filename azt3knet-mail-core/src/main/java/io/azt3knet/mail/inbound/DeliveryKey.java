package io.azt3knet.mail.inbound;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import io.azt3knet.mail.internal.util.Digests;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identifies one delivery of one message to one recipient, so that a redelivery can be recognised:
 * the SHA-256 of the envelope recipient and the {@code Message-ID}, or, when the message has no
 * {@code Message-ID}, the SHA-256 of the raw webhook body. Sinks use it to store each delivery once, also
 * across restarts. The value is 64 lower-case hex digits, safe in file names and logs.
 *
 * @param value 64 lower-case hex digits
 */
public record DeliveryKey(String value) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /** Validates the form of the key. */
    public DeliveryKey {
        Objects.requireNonNull(value, "value");
        if (!HEX64.matcher(value).matches()) {
            throw new IllegalArgumentException("a delivery key is 64 lower-case hex digits");
        }
    }

    /**
     * @param message the parsed message
     * @param bodySha256 the SHA-256 of the raw webhook body, used when the message has no {@code Message-ID}
     * @return the key of this delivery
     */
    public static DeliveryKey of(InboundMessage message, byte[] bodySha256) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(bodySha256, "bodySha256");
        return message.messageId()
                .map(id -> forMessageId(message.recipient(), id))
                .orElseGet(() -> forContent(bodySha256));
    }

    /**
     * @param recipient the envelope recipient (compared case-insensitively)
     * @param messageId the {@code Message-ID} header value
     * @return the key for this message and recipient
     */
    public static DeliveryKey forMessageId(String recipient, String messageId) {
        String material = "message-id\n" + recipient.strip().toLowerCase(Locale.ROOT) + "\n" + messageId.strip();
        return new DeliveryKey(HexFormat.of().formatHex(Digests.sha256().digest(material.getBytes(StandardCharsets.UTF_8))));
    }

    /**
     * @param bodySha256 the SHA-256 of the raw webhook body
     * @return the key for a message without {@code Message-ID}
     */
    public static DeliveryKey forContent(byte[] bodySha256) {
        if (bodySha256.length != 32) {
            throw new IllegalArgumentException("expected a 32-byte SHA-256 digest, got " + bodySha256.length + " bytes");
        }
        MessageDigest d = Digests.sha256();
        d.update("content\n".getBytes(StandardCharsets.US_ASCII));
        return new DeliveryKey(HexFormat.of().formatHex(d.digest(bodySha256)));
    }

    @Override
    public String toString() {
        return value;
    }
}
