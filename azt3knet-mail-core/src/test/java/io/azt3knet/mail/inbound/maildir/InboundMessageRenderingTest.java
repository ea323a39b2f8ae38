package io.azt3knet.mail.inbound.maildir;

import io.azt3knet.mail.inbound.InboundAttachment;
import io.azt3knet.mail.inbound.InboundMessage;
import io.azt3knet.mail.inbound.MessageHeaders;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class InboundMessageRenderingTest {

    private static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABXvMqGgAAAABJRU5ErkJggg==");
    private static final byte[] PDF = "%PDF-1.4\n%\u00c7\u00ec\n".getBytes(StandardCharsets.ISO_8859_1);

    private final Session session = Session.getInstance(new Properties());

    private static InboundMessage fullMessage() {
        MessageHeaders headers = MessageHeaders.builder()
                .add("Date", "Tue, 5 Mar 2024 10:15:22 +0100")
                .add("From", "Zoë Ångström <zoe@example.org>")
                .add("To", "ACME Support <support@inbound.acme.test>, Bob <bob@example.net>")
                .add("Cc", "carol@example.com")
                .add("Reply-To", "zoe+replies@example.org")
                .add("Message-ID", "<20240305091522.12345@mail.example.org>")
                .add("In-Reply-To", "<4711.ticket@acme.test>")
                .add("References", "<4711.ticket@acme.test>")
                .add("X-Mailer", "ExampleMail 2.1")
                .build();
        return InboundMessage.builder()
                .envelopeSender("bounce@mail.example.org")
                .recipient("support@inbound.acme.test")
                .date(Instant.parse("2024-03-05T09:15:22Z"))
                .from("Zoë Ångström <zoe@example.org>")
                .subject("Re: Ticket #4711 – Rechnung für März ✓")
                .headers(headers)
                .text("Hallo Team,\r\n\r\nRechnung anbei. Grüße\r\n")
                .html("<html><body><p>Grüße</p><img src=\"cid:logo123@example.org\"></body></html>")
                .attachments(List.of(
                        new InboundAttachment("logo.png", "image/png; name=\"logo.png\"", "logo123@example.org", true, PNG),
                        new InboundAttachment("Rechnung März.pdf", "application/pdf", "", false, PDF),
                        new InboundAttachment("hello.txt", "text/plain; charset=utf-8", "", false,
                                "Hello World!".getBytes(StandardCharsets.US_ASCII))))
                .spamScore(new BigDecimal("1.204"))
                .build();
    }

    private MimeMessage parseBack(byte[] bytes) throws Exception {
        return new MimeMessage(session, new ByteArrayInputStream(bytes));
    }

    @Test
    void rendersMixedRelatedAlternativeThatParsesBackToTheSameContent() throws Exception {
        byte[] bytes = InboundMimeRenderer.toBytes(fullMessage());
        MimeMessage back = parseBack(bytes);

        assertThat(back.getContentType()).startsWith("multipart/mixed");
        Multipart mixed = (Multipart) back.getContent();
        assertThat(mixed.getCount()).isEqualTo(3);
        MimeBodyPart relatedPart = (MimeBodyPart) mixed.getBodyPart(0);
        assertThat(relatedPart.getContentType()).startsWith("multipart/related");
        Multipart related = (Multipart) relatedPart.getContent();
        assertThat(related.getCount()).isEqualTo(2);

        Multipart alternative = (Multipart) related.getBodyPart(0).getContent();
        assertThat(related.getBodyPart(0).getContentType()).startsWith("multipart/alternative");
        assertThat(alternative.getBodyPart(0).isMimeType("text/plain")).isTrue();
        assertThat(alternative.getBodyPart(0).getContent()).isEqualTo("Hallo Team,\r\n\r\nRechnung anbei. Grüße\r\n");
        assertThat(alternative.getBodyPart(1).isMimeType("text/html")).isTrue();
        assertThat((String) alternative.getBodyPart(1).getContent()).contains("<p>Grüße</p>", "cid:logo123@example.org");

        MimeBodyPart logo = (MimeBodyPart) related.getBodyPart(1);
        assertThat(logo.getContentID()).isEqualTo("<logo123@example.org>");
        assertThat(logo.getDisposition()).isEqualTo(Part.INLINE);
        assertThat(logo.isMimeType("image/png")).isTrue();
        assertThat(logo.getInputStream().readAllBytes()).isEqualTo(PNG);

        MimeBodyPart pdf = (MimeBodyPart) mixed.getBodyPart(1);
        assertThat(pdf.getDisposition()).isEqualTo(Part.ATTACHMENT);
        assertThat(MimeUtility.decodeText(pdf.getFileName())).isEqualTo("Rechnung März.pdf");
        assertThat(pdf.getInputStream().readAllBytes()).isEqualTo(PDF);
        MimeBodyPart txt = (MimeBodyPart) mixed.getBodyPart(2);
        assertThat(txt.getFileName()).isEqualTo("hello.txt");
        assertThat(txt.getInputStream().readAllBytes()).isEqualTo("Hello World!".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void keepsTheOriginalHeadersAndAddsTheEnvelope() throws Exception {
        MimeMessage back = parseBack(InboundMimeRenderer.toBytes(fullMessage()));

        assertThat(back.getSubject()).isEqualTo("Re: Ticket #4711 – Rechnung für März ✓");
        assertThat(back.getMessageID()).isEqualTo("<20240305091522.12345@mail.example.org>");
        assertThat(back.getHeader("In-Reply-To", null)).isEqualTo("<4711.ticket@acme.test>");
        assertThat(back.getHeader("References", null)).isEqualTo("<4711.ticket@acme.test>");
        assertThat(back.getHeader("Date", null)).isEqualTo("Tue, 5 Mar 2024 10:15:22 +0100");
        assertThat(back.getHeader("Delivered-To", null)).isEqualTo("support@inbound.acme.test");
        assertThat(back.getHeader("Return-Path", null)).isEqualTo("<bounce@mail.example.org>");
        assertThat(back.getHeader("X-Spam-Score", null)).isEqualTo("1.204");
        InternetAddress from = (InternetAddress) back.getFrom()[0];
        assertThat(from.getPersonal()).isEqualTo("Zoë Ångström");
        assertThat(from.getAddress()).isEqualTo("zoe@example.org");
        assertThat(back.getRecipients(MimeMessage.RecipientType.TO)).extracting(a -> ((InternetAddress) a).getAddress())
                .containsExactly("support@inbound.acme.test", "bob@example.net");
        assertThat(back.getRecipients(MimeMessage.RecipientType.CC)).hasSize(1);
        assertThat(((InternetAddress) back.getReplyTo()[0]).getAddress()).isEqualTo("zoe+replies@example.org");
    }

    @Test
    void writesSevenBitCleanBytesWithCrlfLineEnds() {
        byte[] bytes = InboundMimeRenderer.toBytes(fullMessage());
        for (byte b : bytes) {
            assertThat(b).as("only 7-bit bytes").isBetween((byte) 0, (byte) 127);
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        assertThat(text).doesNotContain("\n\n").contains("\r\n\r\n");
        assertThat(text).contains("Subject: =?UTF-8?");
    }

    @Test
    void rendersATextOnlyMessageAsASinglePartAndDerivesMissingHeadersFromTheEnvelope() throws Exception {
        InboundMessage m = InboundMessage.builder()
                .recipient("agent@agents.example")
                .from("someone@example.org")
                .subject("")
                .date(Instant.parse("2024-03-05T09:15:22Z"))
                .text("just text")
                .build();
        MimeMessage back = parseBack(InboundMimeRenderer.toBytes(m));

        assertThat(back.isMimeType("text/plain")).isTrue();
        assertThat(back.getContent()).isEqualTo("just text");
        assertThat(((InternetAddress) back.getRecipients(MimeMessage.RecipientType.TO)[0]).getAddress())
                .isEqualTo("agent@agents.example");
        assertThat(((InternetAddress) back.getFrom()[0]).getAddress()).isEqualTo("someone@example.org");
        assertThat(back.getSentDate().toInstant()).isEqualTo(Instant.parse("2024-03-05T09:15:22Z"));
        assertThat(back.getMessageID()).as("a Message-ID is generated when the original had none").isNotBlank();
    }

    @Test
    void keepsExtraBodiesAsInlineParts() throws Exception {
        InboundMessage m = InboundMessage.builder()
                .recipient("agent@agents.example")
                .text("first")
                .html("<p>first</p>")
                .extraContent(Map.of("Html-part2", "<p>second</p>"))
                .build();
        Multipart mixed = (Multipart) parseBack(InboundMimeRenderer.toBytes(m)).getContent();

        assertThat(mixed.getCount()).isEqualTo(2);
        assertThat(mixed.getBodyPart(0).isMimeType("multipart/alternative")).isTrue();
        assertThat(mixed.getBodyPart(1).isMimeType("text/html")).isTrue();
        assertThat(mixed.getBodyPart(1).getContent()).isEqualTo("<p>second</p>");
    }

    @Test
    void cannotBeTrickedIntoAddingHeadersThroughLineBreaksInValues() throws Exception {
        InboundMessage m = InboundMessage.builder()
                .recipient("agent@agents.example")
                .subject("hello\r\nBcc: victim@example.org")
                .headers(MessageHeaders.builder().add("In-Reply-To", "<a@b>\r\nX-Injected: yes").build())
                .text("x")
                .build();
        MimeMessage back = parseBack(InboundMimeRenderer.toBytes(m));

        assertThat(back.getHeader("Bcc")).isNull();
        assertThat(back.getHeader("X-Injected")).isNull();
        assertThat(back.getSubject()).isEqualTo("hello Bcc: victim@example.org");
    }

    private static List<String> unfolded(MimeMessage m, String name) throws Exception {
        String[] values = m.getHeader(name);
        return values == null ? List.of() : Arrays.stream(values).map(MimeUtility::unfold).toList();
    }

    @Test
    void keepsEveryOtherOriginalHeaderAndTheProviderExtrasWithoutLettingAValueStartAHeader() throws Exception {
        String dkim = "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=sel;\r\n\th=from:to:subject;"
                + " bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n\tb=dGVzdA==";
        InboundMessage m = InboundMessage.builder()
                .envelopeSender("bounce@mail.example.org")
                .recipient("agent@agents.example")
                .from("sender@example.org")
                .subject("s")
                .headers(MessageHeaders.builder()
                        .add("Received", "from mx2.example.net by in.mailjet.com; Tue, 5 Mar 2024 10:15:24 +0100")
                        .add("Received", "from mail.example.org by mx2.example.net; Tue, 5 Mar 2024 10:15:23 +0100")
                        .add("Authentication-Results", "in.mailjet.com; dkim=pass header.d=example.org; spf=pass")
                        .add("DKIM-Signature", dkim)
                        .add("Auto-Submitted", "auto-replied")
                        .add("List-Unsubscribe", "<mailto:unsubscribe@example.org>")
                        .add("List-Id", "Agents <agents.example.org>")
                        .add("Delivered-To", "earlier-hop@example.net")
                        .add("X-Evil", "a\r\nBcc: victim@example.org")
                        .add("X-Note", "Grüße aus Köln")
                        .add("Bad Name", "dropped")
                        .add("X:Colon", "dropped")
                        .add("Content-Type", "multipart/signed; boundary=original")
                        .add("Content-Transfer-Encoding", "8bit")
                        .add("MIME-Version", "1.0 (original)")
                        .add("Return-Path", "<earlier@example.net>")
                        .build())
                .text("x")
                .customId("order-42")
                .payload("{\"ticket\": 7,\r\n \"agent\": \"Zoë\"}")
                .build();

        byte[] bytes = InboundMimeRenderer.toBytes(m);
        MimeMessage back = parseBack(bytes);

        assertThat(unfolded(back, "Received")).containsExactly(
                "from mx2.example.net by in.mailjet.com; Tue, 5 Mar 2024 10:15:24 +0100",
                "from mail.example.org by mx2.example.net; Tue, 5 Mar 2024 10:15:23 +0100");
        assertThat(unfolded(back, "Authentication-Results").get(0))
                .isEqualTo("in.mailjet.com; dkim=pass header.d=example.org; spf=pass");
        assertThat(unfolded(back, "DKIM-Signature").get(0).replaceAll("\\s+", " "))
                .isEqualTo(dkim.replaceAll("\\s+", " "));
        assertThat(unfolded(back, "Auto-Submitted").get(0)).isEqualTo("auto-replied");
        assertThat(unfolded(back, "List-Unsubscribe").get(0)).isEqualTo("<mailto:unsubscribe@example.org>");
        assertThat(unfolded(back, "List-Id").get(0)).isEqualTo("Agents <agents.example.org>");
        assertThat(unfolded(back, "Delivered-To")).containsExactly("agent@agents.example", "earlier-hop@example.net");
        assertThat(unfolded(back, "X-Evil").get(0)).isEqualTo("a Bcc: victim@example.org");
        assertThat(back.getHeader("Bcc")).isNull();
        assertThat(MimeUtility.decodeText(unfolded(back, "X-Note").get(0))).isEqualTo("Grüße aus Köln");
        assertThat(back.getHeader("Bad Name")).isNull();
        assertThat(new String(bytes, StandardCharsets.US_ASCII)).doesNotContain("dropped", "boundary=original", "8bit",
                "(original)", "earlier@example.net");
        assertThat(back.getHeader("Return-Path")).containsExactly("<bounce@mail.example.org>");
        assertThat(back.getContentType()).startsWith("text/plain");
        assertThat(back.getContent()).isEqualTo("x");
        assertThat(unfolded(back, "X-MJ-CustomID").get(0)).isEqualTo("order-42");
        assertThat(MimeUtility.decodeText(unfolded(back, "X-MJ-EventPayload").get(0)))
                .isEqualTo("{\"ticket\": 7, \"agent\": \"Zoë\"}");
        for (byte b : bytes) {
            assertThat(b).as("only 7-bit bytes").isBetween((byte) 0, (byte) 127);
        }
    }
}
