package io.azt3knet.mail.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.azt3knet.mail.inbound.webhook.InboundWebhookServer;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code inbound-server} with the real {@code MailjetInboundParser}, over real HTTP on loopback: a Mailjet Parse
 * API payload with an inline image, two attachments and a non-ASCII subject ends up as one RFC 5322 file in the
 * Maildir that Jakarta Mail reads back faithfully, and a redelivery is acknowledged without a second file.
 */
class InboundServerEndToEndTest {

    private static final String RECIPIENT = "jane.doe.123.20241005123045@agents.example.org";
    private static final String SUBJECT = "Grüße – 会議 📅 Rechnung";
    private static final String TEXT = "Hallo Jane,\r\n\r\nanbei die Rechnung. ¡Gracias! 会議は明日です。\r\n";
    private static final String HTML = "<html><body><p>Hallo Jane,</p><img src=\"cid:logo@example.org\"><p>Grüße</p></body></html>";
    private static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABXvMqGgAAAABJRU5ErkJggg==");
    private static final byte[] PDF = "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj<<>>endobj\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] BINARY = new byte[1024];

    static {
        for (int i = 0; i < BINARY.length; i++) {
            BINARY[i] = (byte) (i * 7);
        }
    }

    @TempDir
    Path maildir;

    private static ObjectNode part(ArrayNode parts, String contentRef, String... headers) {
        ObjectNode part = parts.addObject();
        ObjectNode h = part.putObject("Headers");
        for (int i = 0; i < headers.length; i += 2) {
            h.putArray(headers[i]).add(headers[i + 1]);
        }
        if (contentRef != null) {
            part.put("ContentRef", contentRef);
        }
        return part;
    }

    /** Shaped like Mailjet's Parse API payload: flattened parts with ContentRefs, base64 attachments. */
    private static String payload() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode p = json.createObjectNode();
        p.put("Sender", "bounce+alice=example.org@mail.example.org").put("Recipient", RECIPIENT)
                .put("Date", "20240305T091522").put("From", "Alice Müller <alice@example.org>").put("Subject", SUBJECT);
        ObjectNode headers = p.putObject("Headers");
        headers.putArray("Received").add("from mail.example.org\tby parse-in.mailjet.com (Mailjet)");
        headers.putArray("Content-Type").add("multipart/mixed;\tboundary=\"outer\"");
        headers.put("From", "=?UTF-8?Q?Alice_M=C3=BCller?= <alice@example.org>");
        headers.put("To", "Jane Doe <" + RECIPIENT + ">");
        headers.put("Subject", "=?UTF-8?B?" + Base64.getEncoder().encodeToString(SUBJECT.getBytes(StandardCharsets.UTF_8)) + "?=");
        headers.put("Message-ID", "<e2e-4711@mail.example.org>");
        headers.put("Date", "Tue, 5 Mar 2024 10:15:22 +0100");
        ArrayNode parts = p.putArray("Parts");
        part(parts, null, "Content-Type", "multipart/related;\tboundary=\"related\"");
        part(parts, null, "Content-Type", "multipart/alternative;\tboundary=\"alt\"");
        part(parts, "Text-part", "Content-Type", "text/plain; charset=\"utf-8\"", "Content-Transfer-Encoding", "quoted-printable");
        part(parts, "Html-part", "Content-Type", "text/html; charset=\"utf-8\"", "Content-Transfer-Encoding", "quoted-printable");
        part(parts, "InlineAttachment1", "Content-Type", "image/png; name=\"logo.png\"", "Content-Disposition",
                "inline; filename=\"logo.png\"", "Content-Id", "<logo@example.org>", "Content-Transfer-Encoding", "base64");
        part(parts, "Attachment1", "Content-Type", "application/pdf; name=\"Rechnung Nr. 4711.pdf\"", "Content-Disposition",
                "attachment; filename*=UTF-8''Rechnung%20Nr.%204711%20%E2%82%AC.pdf", "Content-Transfer-Encoding", "base64");
        part(parts, "Attachment2", "Content-Type", "application/octet-stream; name=\"data.bin\"", "Content-Disposition",
                "attachment; filename=\"data.bin\"", "Content-Transfer-Encoding", "base64");
        p.put("Text-part", TEXT).put("Html-part", HTML);
        p.put("InlineAttachment1", Base64.getEncoder().encodeToString(PNG));
        p.put("Attachment1", Base64.getEncoder().encodeToString(PDF));
        p.put("Attachment2", Base64.getMimeEncoder().encodeToString(BINARY)); // folded with CRLF, as Mailjet does
        p.put("SpamAssassinScore", "0.602").put("CustomID", "").put("Payload", "");
        return p.toString();
    }

    /** A leaf part of the stored message, read with Jakarta Mail. */
    private record Leaf(String type, @Nullable String fileName, @Nullable String contentId, byte[] bytes,
            @Nullable String text) {
    }

    private static void leaves(Part part, List<Part> out) throws Exception {
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                leaves(child, out);
            }
        } else {
            out.add(part);
        }
    }

    private static byte[] bytes(Part part) throws Exception {
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        }
    }

    @Test
    void storesAMailjetPayloadAsAMessageJakartaMailReadsBackAndStoresARedeliveryOnce() throws Exception {
        Map<String, String> env = Map.of("MAILJET_INBOUND_URL", "https://hooks.example.org/mailjet/inbound",
                "MAILJET_INBOUND_SECRET", ProviderFakes.INBOUND_SECRET);
        StringWriter out = new StringWriter();
        CommandLine cli = Azt3knetMailCommand.commandLine(new CliEnvironment(new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out), new PrintWriter(new StringWriter()), env));
        InboundServerCommand command = cli.getSubcommands().get("inbound-server").getCommand();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        List<Integer> statuses = new ArrayList<>();
        try {
            Future<Integer> exit = runner.submit(() -> cli.execute("inbound-server", "--bind", "127.0.0.1", "--port", "0",
                    "--maildir", maildir.toString()));
            InboundWebhookServer server = command.awaitStarted();
            HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/mailjet/inbound"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            ("mailjet:" + ProviderFakes.INBOUND_SECRET).getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(payload(), StandardCharsets.UTF_8)).build();
            HttpClient client = HttpClient.newHttpClient();
            for (int i = 0; i < 2; i++) {
                statuses.add(client.send(post, HttpResponse.BodyHandlers.discarding()).statusCode());
            }
            server.close();
            assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        } finally {
            runner.shutdownNow();
        }

        assertThat(statuses).containsExactly(200, 200);
        assertThat(out.toString()).contains("STORED 200 " + RECIPIENT).contains("DUPLICATE 200 " + RECIPIENT);
        List<Path> files;
        try (Stream<Path> list = Files.list(maildir.resolve("new"))) {
            files = list.toList();
        }
        assertThat(files).hasSize(1);
        try (Stream<Path> tmp = Files.list(maildir.resolve("tmp"))) {
            assertThat(tmp).isEmpty();
        }

        MimeMessage message;
        try (InputStream in = Files.newInputStream(files.get(0))) {
            message = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        assertThat(message.getSubject()).isEqualTo(SUBJECT);
        assertThat(message.getMessageID()).isEqualTo("<e2e-4711@mail.example.org>");
        assertThat(message.getFrom()[0].toString()).contains("alice@example.org");
        List<Part> parts = new ArrayList<>();
        leaves(message, parts);
        List<Leaf> leaves = new ArrayList<>();
        for (Part p : parts) {
            leaves.add(new Leaf(p.getContentType().split(";")[0].strip().toLowerCase(java.util.Locale.ROOT),
                    p.getFileName() == null ? null : MimeUtility.decodeText(p.getFileName()),
                    p instanceof MimePart m ? m.getContentID() : null, bytes(p),
                    p.getContent() instanceof String text ? text : null));
        }
        assertThat(leaves).filteredOn(l -> l.type().equals("text/plain") && l.fileName() == null).singleElement()
                .satisfies(l -> assertThat(l.text().replace("\r\n", "\n")).isEqualTo(TEXT.replace("\r\n", "\n")));
        assertThat(leaves).filteredOn(l -> l.type().equals("text/html")).singleElement()
                .satisfies(l -> assertThat(l.text()).isEqualTo(HTML));
        assertThat(leaves).filteredOn(l -> l.type().equals("image/png")).singleElement().satisfies(l -> {
            assertThat(l.bytes()).isEqualTo(PNG);
            assertThat(l.contentId()).isEqualTo("<logo@example.org>");
        });
        assertThat(leaves).filteredOn(l -> l.type().equals("application/pdf")).singleElement().satisfies(l -> {
            assertThat(l.bytes()).isEqualTo(PDF);
            assertThat(l.fileName()).isEqualTo("Rechnung Nr. 4711 €.pdf");
        });
        assertThat(leaves).filteredOn(l -> "data.bin".equals(l.fileName())).singleElement()
                .satisfies(l -> assertThat(l.bytes()).isEqualTo(BINARY));
    }
}
