package io.azt3knet.mail.mailjet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.InboundRejectedException;
import io.azt3knet.mail.inbound.InboundAttachment;
import io.azt3knet.mail.inbound.InboundMessage;
import io.azt3knet.mail.inbound.InboundPart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Realistic payloads written from Mailjet's documented and observed shapes, and hostile ones. */
class MailjetInboundParserTest {

    private final MailjetInboundParser parser = MailjetInboundParser.create();

    private InboundMessage fixture(String name) {
        try (InputStream in = getClass().getResourceAsStream("/mailjet/inbound/" + name)) {
            assertThat(in).as(name).isNotNull();
            return parser.parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private InboundMessage parse(String json) {
        return parser.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsEveryFieldOfAMultipartMessageWithInlineImageAndAttachments() {
        InboundMessage m = fixture("multipart-inline-image-and-attachments.json");

        assertThat(m.envelopeSender()).isEqualTo("bounce+alice=example.org@mail.example.org");
        assertThat(m.recipient()).isEqualTo("jane.doe.123.20241005123045@agents.example.org");
        assertThat(m.date()).hasValue(Instant.parse("2024-03-05T09:15:22Z"));
        assertThat(m.from()).isEqualTo("Alice Example <alice@example.org>");
        assertThat(m.subject()).isEqualTo("Re: Ticket #4711 - invoice attached");
        assertThat(m.text()).hasValue("Hi Jane,\r\n\r\nInvoice attached.\r\n\r\n[cid:logo123@example.org]\r\nAlice\r\n");
        assertThat(m.html()).hasValueSatisfying(h -> assertThat(h).contains("<img src=\"cid:logo123@example.org\">"));
        assertThat(m.extraContent()).isEmpty();
        assertThat(m.spamScore()).hasValue(new BigDecimal("1.204"));
        assertThat(m.customId()).hasValue("ticket-4711");
        assertThat(m.payload()).hasValue("{\"ticket\":4711}");
        assertThat(m.messageId()).hasValue("<20240305091522.12345@mail.example.org>");
    }

    @Test
    void headersAreACaseInsensitiveMultimapWithFoldsUnfolded() {
        InboundMessage m = fixture("multipart-inline-image-and-attachments.json");

        assertThat(m.headers().all("received")).hasSize(2);
        assertThat(m.headers().first("RECEIVED")).hasValueSatisfying(r -> assertThat(r)
                .contains("(Mailjet) with ESMTPS id 4F2A1200062 for <jane.doe").doesNotContain("\t"));
        assertThat(m.headers().first("Content-Type")).hasValue("multipart/mixed; boundary=\"b1_outer\"");
        assertThat(m.headers().first("to")).hasValue(
                "Jane Doe <jane.doe.123.20241005123045@agents.example.org>, Bob <bob@example.net>");
        assertThat(m.headers().names()).startsWith("Return-Path", "Received", "DKIM-Signature");
    }

    @Test
    void partsKeepTheFlattenedTreeWithTheirContentRefs() {
        InboundMessage m = fixture("multipart-inline-image-and-attachments.json");

        assertThat(m.parts()).hasSize(7);
        assertThat(m.parts().get(0).contentRef()).isEmpty();
        assertThat(m.parts().get(0).headers().first("content-type")).hasValue("multipart/related; boundary=\"b2_related\"");
        assertThat(m.parts()).extracting(InboundPart::contentRef).containsExactly(Optional.empty(), Optional.empty(),
                Optional.of("Text-part"), Optional.of("Html-part"), Optional.of("InlineAttachment1"),
                Optional.of("Attachment1"), Optional.of("Attachment2"));
    }

    @Test
    void attachmentsAreDecodedWithNameTypeAndContentIdFromTheirParts() {
        InboundMessage m = fixture("multipart-inline-image-and-attachments.json");

        assertThat(m.attachments()).hasSize(3);
        InboundAttachment logo = m.attachments().get(0);
        assertThat(logo.fileName()).isEqualTo("logo.png");
        assertThat(logo.contentType()).isEqualTo("image/png");
        assertThat(logo.contentId()).hasValue("logo123@example.org");
        assertThat(logo.inline()).isTrue();
        assertThat(logo.content()).startsWith(0x89, 'P', 'N', 'G');

        InboundAttachment pdf = m.attachments().get(1);
        assertThat(pdf.fileName()).isEqualTo("invoice.pdf");
        assertThat(pdf.contentType()).isEqualTo("application/pdf");
        assertThat(pdf.inline()).isFalse();
        assertThat(pdf.contentId()).isEmpty();
        assertThat(new String(pdf.content(), 0, 8, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-1.4");
        assertThat(pdf.size()).isEqualTo(15);

        InboundAttachment hello = m.attachments().get(2);
        assertThat(hello.fileName()).isEqualTo("hello.txt");
        assertThat(hello.contentType()).isEqualTo("text/plain; charset=utf-8");
        // base64 although the part says 7bit: Mailjet always base64-encodes attachments
        assertThat(new String(hello.content(), StandardCharsets.US_ASCII)).isEqualTo("Hello World!");
    }

    @Test
    void singlePartMessageResolvesTheTopLevelContentRef() {
        InboundMessage m = fixture("single-part-text.json");

        assertThat(m.text()).hasValue("Just one part.\n");
        assertThat(m.html()).isEmpty();
        assertThat(m.parts()).singleElement().satisfies(p -> {
            assertThat(p.contentRef()).hasValue("Text-part");
            assertThat(p.headers().first("content-type")).hasValue("text/plain; charset=UTF-8");
            assertThat(p.headers().first("Content-Transfer-Encoding")).hasValue("7bit");
            assertThat(p.headers().first("Subject")).isEmpty();
        });
        assertThat(m.date()).hasValue(Instant.parse("2015-04-10T16:06:38Z"));
        assertThat(m.spamScore()).hasValue(new BigDecimal("0.000"));
        assertThat(m.customId()).isEmpty();
        assertThat(m.attachments()).isEmpty();
    }

    @Test
    void emptySubjectStringPartHeadersAndFurtherHtmlParts() {
        InboundMessage m = fixture("empty-subject-string-headers.json");

        assertThat(m.subject()).isEmpty();
        assertThat(m.envelopeSender()).isEmpty();
        assertThat(m.parts().get(1).headers().all("Content-Type")).containsExactly("text/plain; charset=\"UTF-8\"");
        assertThat(m.html()).hasValue("<div>First</div>");
        assertThat(m.extraContent()).containsExactly(java.util.Map.entry("Html-part2", "<div>Second</div>"));
        assertThat(m.spamScore()).hasValue(new BigDecimal("0.602"));
    }

    @Test
    void nonAsciiHeadersAndRfc2231AndEncodedWordFileNamesAreDecoded() {
        InboundMessage m = fixture("non-ascii-headers-and-file-names.json");

        assertThat(m.subject()).isEqualTo("Réunion – 会議 📅");
        assertThat(m.text()).hasValue("¡Hola! Ça va? 会議は明日です。\n");
        assertThat(m.extraContent()).containsEntry("Text-part2", "Second text part\n");
        assertThat(m.headers().first("Content-Type")).hasValue("multipart/mixed; boundary=\"mixed\"");
        assertThat(m.headers().all("x-custom")).containsExactly("first", "second");
        assertThat(m.customId()).isEmpty();
        assertThat(m.payload()).isEmpty();
        assertThat(m.date()).hasValue(Instant.parse("2024-12-31T23:59:59Z"));

        assertThat(m.attachments()).extracting(InboundAttachment::fileName)
                .containsExactly("€ rates.pdf", "Résumé 2024.docx", "Grüße_aus_Koeln.txt", "passwd");
        assertThat(m.attachments().get(1).contentType())
                .isEqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        assertThat(m.attachments().get(1).content()).hasSize(512).startsWith(0, 1, 2, 3);
        assertThat(m.attachments().get(2).contentType()).isEqualTo("text/plain; charset=ISO-8859-1");
        assertThat(new String(m.attachments().get(2).content(), StandardCharsets.ISO_8859_1)).isEqualTo("Grüße");
    }

    @Test
    void attachmentWithoutAPartKeepsItsBytesWithNeutralMetadata() {
        InboundMessage m = parse("""
                {"Recipient":"a@agents.example.org","Headers":{},"Parts":[],
                 "InlineAttachment1":"SGk=","Attachment1":"SGVsbG8"}""");

        assertThat(m.attachments()).hasSize(2);
        assertThat(m.attachments().get(0).inline()).isTrue();
        assertThat(m.attachments().get(1).contentType()).isEqualTo("application/octet-stream");
        assertThat(m.attachments().get(1).fileName()).isEmpty();
        assertThat(new String(m.attachments().get(1).content(), StandardCharsets.US_ASCII)).isEqualTo("Hello");
    }

    @Test
    void unknownFieldsAreKeptOrSkippedAndOddDatesAndScoresLeftOut() {
        InboundMessage m = parse("""
                {"Recipient":"a@agents.example.org","Headers":{"Subject":"x"},"Date":"2024-03-05 09:15",
                 "SpamAssassinScore":"high","NewField":"kept","Nested":{"deep":[1,2,{"x":null}]},"Number":5}""");

        assertThat(m.date()).isEmpty();
        assertThat(m.spamScore()).isEmpty();
        assertThat(m.extraContent()).containsExactly(java.util.Map.entry("NewField", "kept"));
    }

    @Test
    void base64WrappedIntoLinesIsDecoded() {
        InboundMessage m = parse("{\"Recipient\":\"a@b.org\",\"Headers\":{},"
                + "\"Attachment1\":\"SGVsbG8g\\r\\nV29y\\nbGQh\\r\\n\"}");

        assertThat(new String(m.attachments().get(0).content(), StandardCharsets.US_ASCII)).isEqualTo("Hello World!");
    }

    @Test
    void spamScoreSentAsANumberIsRead() {
        assertThat(parse("{\"Recipient\":\"a@b.org\",\"Headers\":{},\"SpamAssassinScore\":-0.5}").spamScore())
                .hasValue(new BigDecimal("-0.5"));
    }

    @Test
    void headerValuesNeverCarryALineBreak() {
        InboundMessage m = parse("""
                {"Recipient":"a@b.org","Headers":{"X-Evil":"one\\r\\nBcc: victim@example.org","X-Fold":"a\\r\\n\\tb"},
                 "Subject":"hi\\nthere"}""");

        assertThat(m.headers().first("X-Evil")).hasValue("one Bcc: victim@example.org");
        assertThat(m.headers().first("X-Fold")).hasValue("a b");
        assertThat(m.subject()).isEqualTo("hi there");
    }

    @Test
    void readsTheBodyToItsEndWithoutClosingIt() throws IOException {
        boolean[] closed = {false};
        ByteArrayInputStream in = new ByteArrayInputStream("{\"Recipient\":\"a@b.org\",\"Headers\":{}}\n  "
                .getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        parser.parse(in);

        assertThat(in.read()).isEqualTo(-1);
        assertThat(closed[0]).isFalse();
    }

    // ---- hostile input: MALFORMED, and nothing else

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not json",
        "<html><body>502</body></html>",
        "[]",
        "\"string\"",
        "null",
        "{}",
        "{\"Headers\":{}}",
        "{\"Recipient\":\"a@b.org\"}",
        "{\"Recipient\":\"a@b.org\",\"Headers\":{}",
        "{\"Recipient\":\"a@b.org\",\"Headers\":{}} trailing",
        "{\"Recipient\":\"a@b.org\",\"Headers\":{}}{\"Recipient\":\"c@d.org\",\"Headers\":{}}",
        "{\"Recipient\":[\"a@b.org\"],\"Headers\":{}}",
        "{\"Recipient\":\"a@b.org\",\"Headers\":[]}",
        "{\"Recipient\":\"a@b.org\",\"Headers\":{\"To\":{\"x\":1}}}",
        "{\"Recipient\":\"a@b.org\",\"Headers\":{\"To\":[[\"x\"]]}}",
        "{\"Recipient\":\"a@b.org\",\"Headers\":{\"Bad:Name\":\"x\"}}",
        "{\"Recipient\":\"a@b.org\",\"Headers\":{},\"Parts\":{}}",
        "{\"Recipient\":\"a@b.org\",\"Headers\":{},\"Parts\":[\"x\"]}",
        "{\"Recipient\":\"a@b.org\",\"Headers\":{},\"Parts\":[{\"Headers\":\"x\"}]}",
        "{\"Recipient\":\"a@b.org\",\"Headers\":{},\"Attachment1\":\"%%%not base64%%%\"}",
        "{\"Recipient\":\"a@b.org\",\"Headers\":{},\"Attachment1\":\"SGVsb\\nG8gV29ybGQh\"}",
        "{\"Recipient\":\"a@b.org\",\"Headers\":{},\"Attachment1\":12}",
        "{\"Recipient\":\"a@b.org\",\"Headers\":{},\"Text-part\":{\"a\":1}}",
        "{\"Recipient\":\"a@b.org\",\"Headers\":{},\"Text-part\":\"a\",\"Text-part\":\"b\"}",
        "{\"Recipient\":\"a@b.org\",\"Headers\":{},\"Subject\":\"\\ud800\\u0000\" ",
        "\u0000\u0001\u0002"
    })
    void malformedPayloadsAreRejectedAsMalformed(String body) {
        assertThatThrownBy(() -> parse(body)).isInstanceOfSatisfying(InboundRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(InboundRejectedException.Reason.MALFORMED));
    }

    @Test
    void invalidUtf8IsRejectedAsMalformed() {
        byte[] body = {'{', '"', 'R', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        assertThatThrownBy(() -> parser.parse(new ByteArrayInputStream(body)))
                .isInstanceOfSatisfying(InboundRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(InboundRejectedException.Reason.MALFORMED));
    }

    @Test
    void hundredThousandPartsAreRefusedEarly() {
        InputStream body = new GeneratedPayload("{\"Recipient\":\"a@b.org\",\"Headers\":{},\"Parts\":[",
                "{\"Headers\":{\"Content-Type\":[\"text/plain\"]},\"ContentRef\":\"Text-part\"},", 100_000, "{}]}");

        assertThatThrownBy(() -> parser.parse(body)).isInstanceOf(InboundRejectedException.class)
                .hasMessageContaining("more than 500 parts");
    }

    @Test
    void tooManyHeaderValuesAreRefused() {
        InputStream body = new GeneratedPayload("{\"Recipient\":\"a@b.org\",\"Headers\":{\"Received\":[",
                "\"x\",", 50_000, "\"x\"]}}");

        assertThatThrownBy(() -> parser.parse(body)).isInstanceOf(InboundRejectedException.class)
                .hasMessageContaining("header values");
    }

    @Test
    void tooManyAttachmentsAreRefused() {
        StringBuilder sb = new StringBuilder("{\"Recipient\":\"a@b.org\",\"Headers\":{}");
        for (int i = 1; i <= 300; i++) {
            sb.append(",\"Attachment").append(i).append("\":\"SGk=\"");
        }
        sb.append('}');

        assertThatThrownBy(() -> parse(sb.toString())).isInstanceOf(InboundRejectedException.class)
                .hasMessageContaining("attachments");
    }

    @Test
    void deeplyNestedJsonIsRefusedWithoutAStackOverflow() {
        InputStream body = new GeneratedPayload("{\"Recipient\":\"a@b.org\",\"Headers\":{},\"X\":", "[", 200_000, "");

        assertThatThrownBy(() -> parser.parse(body)).isInstanceOfSatisfying(InboundRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(InboundRejectedException.Reason.MALFORMED));
    }

    @Test
    void attachmentsOverTheByteBudgetAreRefusedWhileStreaming() {
        MailjetInboundParser small = MailjetInboundParser.builder().maxAttachmentBytes(1_000).build();
        InputStream body = new GeneratedPayload("{\"Recipient\":\"a@b.org\",\"Headers\":{},\"Attachment1\":\"",
                "QUFBQUFBQUFBQUFB", 1_000_000, "\"}");

        assertThatThrownBy(() -> small.parse(body)).isInstanceOf(InboundRejectedException.class)
                .hasMessageContaining("1000 bytes");
    }

    @Test
    void textOverTheCharacterBudgetIsRefused() {
        MailjetInboundParser small = MailjetInboundParser.builder().maxTextChars(1_000).build();
        InputStream body = new GeneratedPayload("{\"Recipient\":\"a@b.org\",\"Headers\":{},\"Text-part\":\"",
                "abcdefghij", 1_000, "\"}");

        assertThatThrownBy(() -> small.parse(body)).isInstanceOfSatisfying(InboundRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(InboundRejectedException.Reason.MALFORMED));
    }

    @Test
    void aStreamThatFailsMidwayIsMalformed() {
        InputStream failing = new InputStream() {
            private int n;

            @Override
            public int read() throws IOException {
                if (n++ < 20) {
                    return "{\"Recipient\":\"a@b.org\"".charAt(Math.min(n - 1, 21));
                }
                throw new IOException("connection reset");
            }
        };

        assertThatThrownBy(() -> parser.parse(failing)).isInstanceOfSatisfying(InboundRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(InboundRejectedException.Reason.MALFORMED));
    }

    @Test
    void largeAttachmentIsDecodedCompletely() {
        int bytes = 3 * 1024 * 1024;
        InboundMessage m = parser.parse(GeneratedPayload.withAttachment(bytes));

        assertThat(m.attachments()).singleElement().satisfies(a -> {
            assertThat(a.size()).isEqualTo(bytes);
            assertThat(a.fileName()).isEqualTo("big.bin");
            byte[] c = a.content();
            assertThat(c[0]).isEqualTo((byte) 'A');
            assertThat(c[bytes - 1]).isEqualTo((byte) 'A');
        });
    }
}
