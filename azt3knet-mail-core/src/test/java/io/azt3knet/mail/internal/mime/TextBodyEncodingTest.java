package io.azt3knet.mail.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.inbound.DeliveryKey;
import io.azt3knet.mail.inbound.InboundMessage;
import io.azt3knet.mail.inbound.InboundSink;
import io.azt3knet.mail.inbound.MessageHeaders;
import io.azt3knet.mail.inbound.maildir.InboundMimeRenderer;
import io.azt3knet.mail.inbound.maildir.MaildirMessageStore;
import io.azt3knet.mail.inbound.maildir.MaildirSink;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.inbox.MessageQuery;
import io.azt3knet.mail.inbox.StoredMessage;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Text bodies are encoded once, up front, as Jakarta Mail would encode them, and read back unchanged; and the
 * library names Jakarta Mail's stream provider itself, for an application that never set the property.
 */
class TextBodyEncodingTest {

    private static final Session SESSION = Session.getInstance(new Properties());

    @TempDir
    Path root;

    private static InboundMessage message(String text, String html) {
        InboundMessage.Builder b = InboundMessage.builder().recipient("agent@agents.example")
                .envelopeSender("sender@example.org").from("Sender <sender@example.org>").subject("encoding")
                .headers(MessageHeaders.builder().add("Message-ID", "<enc-" + text.hashCode() + "@example.org>").build())
                .text(text);
        if (!html.isEmpty()) {
            b.html(html);
        }
        return b.build();
    }

    private static MimeMessage renderAndParse(InboundMessage m) throws Exception {
        return new MimeMessage(SESSION, new ByteArrayInputStream(InboundMimeRenderer.toBytes(m)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "short ASCII lines, 7bit",
        "one line longer than 998 characters, quoted-printable",
        "mostly non-ASCII, base64",
        "ASCII with a few accents, quoted-printable"})
    void aTextBodyGetsTheEncodingJakartaMailChoosesAndReadsBackUnchanged(String kind, String expected)
            throws Exception {
        String text = switch (kind) {
            case "short ASCII lines" -> "Hello,\r\n\r\nsee you at 10.\r\n";
            case "one line longer than 998 characters" -> "x".repeat(300_000) + " end";
            case "mostly non-ASCII" -> "Привет, как дела? Всё хорошо. ".repeat(50);
            default -> "Grüße aus Köln, the meeting is at 10 o'clock.\r\n".repeat(20);
        };
        assertThat(MimeTree.encodeText(text).transferEncoding()).isEqualTo(expected);

        MimeMessage parsed = renderAndParse(message(text, ""));

        assertThat(parsed.getEncoding()).isEqualTo(expected);
        assertThat(parsed.getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(parsed.getContent()).isEqualTo(text);
        if (!expected.equals("7bit")) {
            byte[] raw = InboundMimeRenderer.toBytes(message(text, ""));
            for (String line : new String(raw, java.nio.charset.StandardCharsets.US_ASCII).split("\r\n")) {
                assertThat(line.length()).as("an encoded line").isLessThanOrEqualTo(998);
            }
        }
    }

    @Test
    void textAndHtmlTogetherAreAnAlternativeOfTwoEncodedParts() throws Exception {
        String text = "Grüße\r\n";
        String html = "<p>" + "y".repeat(2000) + "</p>";

        MimeMessage parsed = renderAndParse(message(text, html));

        assertThat(parsed.getContentType()).startsWith("multipart/alternative");
        Multipart alternative = (Multipart) parsed.getContent();
        BodyPart plain = alternative.getBodyPart(0);
        BodyPart rich = alternative.getBodyPart(1);
        assertThat(plain.getContentType()).startsWith("text/plain");
        assertThat(plain.getContent()).isEqualTo(text);
        assertThat(rich.getContentType()).startsWith("text/html");
        assertThat(rich.getContent()).isEqualTo(html);
        assertThat(((jakarta.mail.internet.MimeBodyPart) rich).getEncoding()).isEqualTo("quoted-printable");
    }

    @Test
    void theLibraryNamesTheStreamProviderWhenTheApplicationDidNot() throws Exception {
        String before = System.clearProperty(JakartaMailRuntime.PROPERTY); // as an application that never set it
        try {
            MaildirSink sink = MaildirSink.builder(root).build();
            InboundMessage m = message("Grüße, " + "z".repeat(5000), "");

            assertThat(sink.accept(m, DeliveryKey.of(m, new byte[32]))).isEqualTo(InboundSink.Result.STORED);

            assertThat(System.getProperty(JakartaMailRuntime.PROPERTY)).isEqualTo(JakartaMailRuntime.ANGUS_PROVIDER);
            try (MaildirMessageStore store = MaildirMessageStore.builder(root).build()) {
                MailboxAddress agent = MailboxAddress.parse("agent@agents.example");
                String id = store.list(agent, MessageQuery.builder().build()).get(0).id();
                StoredMessage read = store.get(agent, id).orElseThrow();
                assertThat(read.text()).contains(m.text().orElseThrow());
            }
        } finally {
            restore(before);
        }
    }

    @Test
    void aProviderTheApplicationChoseIsLeftAlone() {
        String before = System.setProperty(JakartaMailRuntime.PROPERTY, "com.example.TheApplicationsStreamProvider");
        try {
            JakartaMailRuntime.ensureStreamProvider();

            assertThat(System.getProperty(JakartaMailRuntime.PROPERTY))
                    .isEqualTo("com.example.TheApplicationsStreamProvider");
        } finally {
            restore(before);
        }
    }

    private static void restore(String before) {
        if (before == null) {
            System.clearProperty(JakartaMailRuntime.PROPERTY);
        } else {
            System.setProperty(JakartaMailRuntime.PROPERTY, before);
        }
    }

    @Test
    void anEmptyTextIsAnEmptySevenBitBody() throws Exception {
        assertThat(MimeTree.encodeText("").transferEncoding()).isEqualTo("7bit");
        assertThat(MimeTree.encodeText("").bytes()).isEmpty();
        assertThat(List.of(MimeTree.encodeText("a\nb").bytes().length)).containsExactly(3);
    }
}
