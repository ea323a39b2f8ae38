package io.azt3knet.mail.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.azt3knet.mail.InboundRejectedException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;

/**
 * A minimal parser for the webhook tests (the Mailjet parser lives in its own module): reads
 * {@code {"Recipient", "Subject", "Headers": {name: string}, "Text-part"}} and refuses anything else as
 * MALFORMED, like a real parser.
 */
public final class TestJsonParser implements InboundParser {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public InboundMessage parse(InputStream body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InboundRejectedException(InboundRejectedException.Reason.MALFORMED, "not JSON", e);
        } catch (IOException e) {
            throw new InboundRejectedException(InboundRejectedException.Reason.MALFORMED, "unreadable body", e);
        }
        if (root == null || !root.isObject() || !root.path("Recipient").isTextual()
                || !root.path("Headers").isObject() && !root.path("Headers").isMissingNode()) {
            throw new InboundRejectedException(InboundRejectedException.Reason.MALFORMED, "wrong types");
        }
        MessageHeaders.Builder headers = MessageHeaders.builder();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new InboundRejectedException(InboundRejectedException.Reason.MALFORMED, "wrong header type");
            }
            headers.add(e.getKey(), e.getValue().asText());
        }
        InboundMessage.Builder m = InboundMessage.builder()
                .recipient(root.path("Recipient").asText())
                .from(root.path("From").asText("sender@example.org"))
                .subject(root.path("Subject").asText(""))
                .headers(headers.build());
        if (root.path("Text-part").isTextual()) {
            m.text(root.path("Text-part").asText());
        }
        return m.build();
    }

    /** @return a payload in this parser's format */
    public static String payload(String recipient, String messageId, String subject, String text) {
        return "{\"Recipient\":\"" + recipient + "\",\"Subject\":\"" + subject + "\",\"Headers\":{"
                + (messageId.isEmpty() ? "" : "\"Message-ID\":\"" + messageId + "\"")
                + "},\"Text-part\":\"" + text + "\"}";
    }
}
