package io.azt3knet.mail.inbound.maildir;

import io.azt3knet.mail.internal.util.Digests;
import io.azt3knet.mail.inbound.DeliveryKey;
import io.azt3knet.mail.inbound.InboundAttachment;
import io.azt3knet.mail.inbound.InboundMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The SHA-256 of what a message says, so that a redelivery (same content) can be told apart from a
 * different message that reuses a {@code Message-ID} (broken mailers, spoofing). It covers the envelope,
 * every header, the bodies, the attachments and the provider's custom id and payload, each length-prefixed
 * so that no two messages share an input. The spam score is left out: the provider may compute it again
 * for a redelivery. Unlike the rendered file, it does not depend on generated boundaries or ids.
 */
final class ContentDigest {

    private ContentDigest() {
    }

    /**
     * @param m the message
     * @return 64 lower-case hex digits
     */
    static String of(InboundMessage m) {
        MessageDigest d = Digests.sha256();
        text(d, "inbound-content-v1");
        text(d, m.envelopeSender());
        text(d, m.recipient().strip().toLowerCase(Locale.ROOT)); // as in DeliveryKey
        text(d, m.from());
        text(d, m.subject());
        text(d, m.date().map(Object::toString).orElse(""));
        for (Map.Entry<String, List<String>> h : m.headers().asMap().entrySet()) {
            for (String value : h.getValue()) {
                text(d, h.getKey());
                text(d, value);
            }
        }
        text(d, "bodies");
        optional(d, m.text().orElse(null));
        optional(d, m.html().orElse(null));
        m.extraContent().forEach((key, content) -> {
            text(d, key);
            text(d, content);
        });
        text(d, "attachments");
        for (InboundAttachment a : m.attachments()) {
            text(d, a.fileName());
            text(d, a.contentType());
            text(d, a.contentId().orElse(""));
            text(d, a.inline() ? "inline" : "attachment");
            length(d, a.size());
            try (InputStream in = a.openStream()) {
                byte[] buffer = new byte[8192];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    d.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("an in-memory attachment cannot fail to read", e);
            }
        }
        optional(d, m.customId().orElse(null));
        optional(d, m.payload().orElse(null));
        return HexFormat.of().formatHex(d.digest());
    }

    private static void optional(MessageDigest d, @Nullable String value) {
        if (value == null) {
            length(d, -1);
        } else {
            text(d, value);
        }
    }

    private static void text(MessageDigest d, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        length(d, bytes.length);
        d.update(bytes);
    }

    private static void length(MessageDigest d, long length) {
        d.update(ByteBuffer.allocate(Long.BYTES).putLong(length).array());
    }
}
