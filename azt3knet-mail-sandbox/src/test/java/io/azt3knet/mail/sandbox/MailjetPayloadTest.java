package io.azt3knet.mail.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.azt3knet.mail.inbound.InboundAttachment;
import io.azt3knet.mail.inbound.InboundMessage;
import io.azt3knet.mail.mailjet.MailjetInboundParser;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The payload the sandbox POSTs has the shape of Mailjet's Parse API payload, and the production parser reads it. */
class MailjetPayloadTest {

    private static final byte[] PDF = SandboxLoad.bytes(3, 700);
    private static final byte[] PNG = SandboxLoad.bytes(4, 90);

    private static final String MULTIPART = "Received: from client (localhost [127.0.0.1])\r\n\tby localhost; Sat, 5 Oct 2024 12:30:45 +0000\r\n"
            + "Date: Sat, 5 Oct 2024 12:30:45 +0000\r\n"
            + "From: Ada <ada@agents.azt3knet.test>\r\n"
            + "To: Bob <bob@agents.azt3knet.test>\r\n"
            + "Subject: =?UTF-8?Q?Factura_para_Bob_=E2=82=AC?=\r\n"
            + "Message-ID: <m1@agents.azt3knet.test>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "X-Custom: one\r\n"
            + "X-Custom: two\r\n"
            + "Content-Type: multipart/mixed;\r\n\tboundary=\"outer\"\r\n"
            + "\r\n"
            + "--outer\r\n"
            + "Content-Type: multipart/related; boundary=\"rel\"\r\n\r\n"
            + "--rel\r\n"
            + "Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
            + "--alt\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "Hola Bob =E2=82=AC\r\n"
            + "--alt\r\n"
            + "Content-Type: text/html; charset=UTF-8\r\n\r\n"
            + "<p>Hola Bob</p>\r\n"
            + "--alt--\r\n"
            + "--rel\r\n"
            + "Content-Type: image/png\r\nContent-Disposition: inline\r\nContent-ID: <logo@a>\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n"
            + Base64.getMimeEncoder().encodeToString(PNG) + "\r\n"
            + "--rel--\r\n"
            + "--outer\r\n"
            + "Content-Type: application/pdf; name=\"invoice.pdf\"\r\n"
            + "Content-Disposition: attachment; filename=\"invoice.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Base64.getMimeEncoder().encodeToString(PDF) + "\r\n"
            + "--outer--\r\n";

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aMultipartMessageBecomesMailjetsPayloadShape() throws Exception {
        JsonNode p = json.readTree(payload(MULTIPART));

        assertThat(p.path("Sender").asText()).isEqualTo("ada@agents.azt3knet.test");
        assertThat(p.path("Recipient").asText()).isEqualTo("bob@agents.azt3knet.test");
        assertThat(p.path("Date").asText()).isEqualTo("20241005T123045");
        assertThat(p.path("From").asText()).isEqualTo("Ada <ada@agents.azt3knet.test>");
        assertThat(p.path("Subject").asText()).isEqualTo("Factura para Bob €");
        JsonNode headers = p.path("Headers");
        assertThat(headers.path("Message-ID").isTextual()).isTrue();
        assertThat(headers.path("Subject").isTextual()).isTrue();
        assertThat(headers.path("X-Custom").toString()).isEqualTo("[\"one\",\"two\"]");
        assertThat(headers.path("MIME-Version").isArray()).isTrue();
        assertThat(headers.path("Content-Type").get(0).asText()).isEqualTo("multipart/mixed;\tboundary=\"outer\"");
        assertThat(headers.path("Received").get(0).asText()).contains("\tby localhost");
        List<String> refs = new ArrayList<>();
        p.path("Parts").forEach(part -> refs.add(part.path("ContentRef").asText("-")));
        assertThat(refs).containsExactly("-", "-", "Text-part", "Html-part", "InlineAttachment1", "Attachment1");
        assertThat(p.path("Parts").get(0).path("Headers").path("Content-Type").get(0).asText())
                .startsWith("multipart/related");
        // the CRLF before a boundary belongs to the boundary (RFC 2046), not to the body
        assertThat(p.path("Text-part").asText()).isEqualTo("Hola Bob €");
        assertThat(p.path("Html-part").asText()).isEqualTo("<p>Hola Bob</p>");
        assertThat(Base64.getDecoder().decode(p.path("Attachment1").asText())).isEqualTo(PDF);
        assertThat(Base64.getDecoder().decode(p.path("InlineAttachment1").asText())).isEqualTo(PNG);
        assertThat(p.path("SpamAssassinScore").asText()).isEqualTo("0.000");
        assertThat(p.has("ContentRef")).isFalse();
    }

    @Test
    void theProductionParserReadsItBackIntact() throws Exception {
        InboundMessage m = MailjetInboundParser.create().parse(new ByteArrayInputStream(payload(MULTIPART)));

        assertThat(m.recipient()).isEqualTo("bob@agents.azt3knet.test");
        assertThat(m.messageId()).contains("<m1@agents.azt3knet.test>");
        assertThat(m.text()).contains("Hola Bob €");
        assertThat(m.attachments()).extracting(InboundAttachment::fileName).contains("invoice.pdf");
        InboundAttachment pdf = m.attachments().stream().filter(a -> a.fileName().equals("invoice.pdf")).findFirst()
                .orElseThrow();
        assertThat(pdf.content()).isEqualTo(PDF);
    }

    @Test
    void aSinglePartTextMessageHasNoPartsAndATopLevelContentRef() throws Exception {
        String raw = "From: ada@agents.azt3knet.test\r\nTo: bob@agents.azt3knet.test\r\nSubject: plain\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\njust text\r\n";

        JsonNode p = json.readTree(payload(raw));

        assertThat(p.path("Parts").isArray()).isTrue();
        assertThat(p.path("Parts")).isEmpty();
        assertThat(p.path("ContentRef").asText()).isEqualTo("Text-part");
        assertThat(p.path("Text-part").asText()).isEqualTo("just text\r\n");
    }

    private static byte[] payload(String raw) throws Exception {
        return MailjetPayload.toJson(MailjetPayload.parse(raw.getBytes(StandardCharsets.UTF_8)),
                "ada@agents.azt3knet.test", "bob@agents.azt3knet.test", BigDecimal.ZERO,
                Instant.parse("2024-10-05T12:30:45Z"));
    }
}
