package io.azt3knet.mail.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.azt3knet.mail.InboundRejectedException;
import io.azt3knet.mail.inbound.InboundMessage;
import io.azt3knet.mail.inbound.InboundParser;
import io.azt3knet.mail.inbound.MessageHeaders;
import java.io.IOException;
import java.io.InputStream;

/**
 * Found through {@code META-INF/services} by {@code inbound-server} in tests: reads the subset of the
 * Mailjet payload the tests send (Recipient, Subject, Headers.Message-ID, Text-part).
 */
public final class PayloadSubsetParser implements InboundParser {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public InboundMessage parse(InputStream body) {
        try {
            JsonNode root = MAPPER.readTree(body);
            if (root == null || !root.path("Recipient").isTextual()) {
                throw new InboundRejectedException(InboundRejectedException.Reason.MALFORMED, "no Recipient");
            }
            return InboundMessage.builder()
                    .recipient(root.path("Recipient").asText())
                    .subject(root.path("Subject").asText(""))
                    .headers(MessageHeaders.builder().add("Message-ID", root.path("Headers").path("Message-ID").asText())
                            .build())
                    .text(root.path("Text-part").asText(""))
                    .build();
        } catch (IOException e) {
            throw new InboundRejectedException(InboundRejectedException.Reason.MALFORMED, "not JSON", e);
        }
    }
}
