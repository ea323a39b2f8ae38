package io.azt3knet.mail.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.MailSendException;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.MailboxRequest;
import io.azt3knet.mail.send.MailService;
import io.azt3knet.mail.send.OutgoingMessage;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxTest {

    @TempDir
    Path dir;

    private Sandbox sandbox;
    private MailboxCredentials ada;
    private MailboxCredentials bob;

    @BeforeEach
    void start() {
        sandbox = Sandbox.builder(dir).start();
        ada = agent("ada.lovelace.001.20241005123045", "Ada Lovelace");
        bob = agent("bob.marley.002.20241005123045", "Bob Marley");
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private MailboxCredentials agent(String localPart, String name) {
        return sandbox.provisioner().createMailbox(new MailboxRequest(new MailboxAddress(localPart, sandbox.domain()),
                name)).credentials();
    }

    @Test
    void aMessageTravelsOverStartTlsAndTheWebhookIntoTheRecipientsMaildirIntact() throws Exception {
        byte[] pdf = SandboxLoad.bytes(7, 30_000);
        byte[] png = SandboxLoad.bytes(8, 500);

        String messageId;
        try (MailService mail = sandbox.mailService(ada)) {
            messageId = mail.send(OutgoingMessage.builder().to(bob.address().value(), "Bob")
                    .subject("Invoice für Bob").text("Hallo Bob,\r\nsee attached.\r\n").html("<p>Hallo <b>Bob</b></p>")
                    .attach("invoice.pdf", "application/pdf", pdf).inline("logo", "image/png", png).build());
        }

        List<MimeMessage> stored = SandboxLoad.maildir(sandbox.maildir(bob.address()));
        assertThat(stored).hasSize(1);
        MimeMessage m = stored.get(0);
        assertThat(m.getMessageID()).isEqualTo(messageId);
        assertThat(m.getSubject()).isEqualTo("Invoice für Bob");
        assertThat(m.getFrom()[0].toString()).contains(ada.address().value());
        assertThat(SandboxLoad.attachment(m, "invoice.pdf")).isEqualTo(pdf);
        assertThat(SandboxLoad.text(m, "text/plain")).isEqualTo("Hallo Bob,\r\nsee attached.\r\n");
        assertThat(SandboxLoad.text(m, "text/html")).isEqualTo("<p>Hallo <b>Bob</b></p>");
        assertThat(m.getHeader("Received")[0].replaceAll("\\s+", " "))
                .contains("by localhost (Azt3kNet Mail sandbox) with ESMTPSA");
        assertThat(SandboxLoad.maildir(sandbox.maildir(ada.address()))).isEmpty();
        // mail is readable by its owner only: the sandbox directory (and so the Maildir below it) is 0700
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(sandbox.acceptedMessages()).isEqualTo(1);
    }

    @Test
    void authIsNeitherOfferedNorAcceptedBeforeStartTls() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", sandbox.smtpPort())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            assertThat(in.readLine()).startsWith("220 localhost");
            List<String> ehlo = command(in, out, "EHLO client.test");
            assertThat(ehlo).anyMatch(l -> l.contains("STARTTLS")).noneMatch(l -> l.contains("AUTH"));
            String plain = java.util.Base64.getEncoder().encodeToString(("\0" + ada.smtpUsername() + "\0"
                    + ada.smtpPassword().reveal()).getBytes(StandardCharsets.UTF_8));
            assertThat(command(in, out, "AUTH PLAIN " + plain)).last().asString().startsWith("530");
            assertThat(command(in, out, "MAIL FROM:<" + ada.address().value() + ">")).last().asString().startsWith("530");
            command(in, out, "QUIT");
        }
    }

    private static List<String> command(BufferedReader in, OutputStream out, String line) throws Exception {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        List<String> reply = new ArrayList<>();
        String l;
        do {
            l = in.readLine();
            reply.add(l);
        } while (l != null && l.length() > 3 && l.charAt(3) == '-');
        return reply;
    }

    @Test
    void aWrongPasswordOrAnotherAgentsPasswordIsRefused() {
        MailboxCredentials wrong = new MailboxCredentials(ada.address(), "", ada.smtpHost(), ada.smtpPort(),
                ada.smtpUsername(), bob.smtpPassword(), ada.routeId(), ada.routeUrl());

        try (MailService mail = sandbox.mailService(wrong)) {
            assertThatThrownBy(() -> mail.send(OutgoingMessage.builder().to(bob.address().value()).subject("x")
                    .text("x").build()))
                    .isInstanceOfSatisfying(MailSendException.class,
                            e -> assertThat(e.kind()).isEqualTo(MailSendException.Kind.AUTHENTICATION));
        }
        assertThat(SandboxLoad.maildir(sandbox.maildir(bob.address()))).isEmpty();
    }

    @Test
    void aClientThatDoesNotTrustTheSandboxCertificateCannotConnect() {
        try (MailService mail = MailService.forAgent(ada)) { // the JVM's default trust: the sandbox is not in it
            assertThatThrownBy(() -> mail.send(OutgoingMessage.builder().to(bob.address().value()).subject("x")
                    .text("x").build()))
                    .isInstanceOfSatisfying(MailSendException.class,
                            e -> assertThat(e.kind()).isEqualTo(MailSendException.Kind.CONNECTION));
        }
    }

    @Test
    void aRecipientOnTheSandboxDomainWithoutMailboxGets550AndNothingIsDelivered() {
        String nobody = "nobody.here.000.20241005123045@" + sandbox.domain();

        try (MailService mail = sandbox.mailService(ada)) {
            assertThatThrownBy(() -> mail.send(OutgoingMessage.builder().to(nobody).to(bob.address().value())
                    .subject("x").text("x").build()))
                    .isInstanceOfSatisfying(MailSendException.class, e -> {
                        assertThat(e.kind()).isEqualTo(MailSendException.Kind.RECIPIENT_REFUSED);
                        assertThat(e.refusedRecipients()).containsExactly(nobody);
                        assertThat(e.getMessage()).contains("550");
                    });
        }
        assertThat(SandboxLoad.maildir(sandbox.maildir(bob.address()))).isEmpty();
    }

    @Test
    void mailForOtherDomainsIsWrittenToTheOutboxAndNeverRelayed() throws Exception {
        try (MailService mail = sandbox.mailService(ada)) {
            mail.send(OutgoingMessage.builder().to("someone@example.org").to(bob.address().value())
                    .subject("Out and in").text("hello").build());
        }

        List<Path> outbox;
        try (Stream<Path> files = Files.list(sandbox.outbox())) {
            outbox = files.filter(f -> f.toString().endsWith(".eml")).toList();
        }
        assertThat(outbox).hasSize(1);
        String eml = Files.readString(outbox.get(0), StandardCharsets.UTF_8);
        assertThat(eml).contains("X-Azt3knet-Sandbox-Envelope-To: <someone@example.org>").contains("Subject: Out and in")
                .doesNotContain(bob.address().value() + ">\r\nX-");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outbox.get(0)))).isEqualTo("rw-------");
        assertThat(SandboxLoad.maildir(sandbox.maildir(bob.address()))).hasSize(1);
    }

    @Test
    void anAgentCannotSendAsAnotherAgent() throws Exception {
        try (MailService mail = MailService.builder().settings(sandbox.smtpSettings()).sender(bob.address(), "")
                .login(ada.smtpUsername(), ada.smtpPassword()).trustStore(sandbox.trustStore()).build()) {
            assertThatThrownBy(() -> mail.send(OutgoingMessage.builder().to(ada.address().value()).subject("x")
                    .text("x").build())).isInstanceOf(MailSendException.class).hasMessageContaining("553");
        }
    }

    @Test
    void aSecondStartInTheSameDirectoryKeepsMailboxesCertificateAndMail() throws Exception {
        try (MailService mail = sandbox.mailService(ada)) {
            mail.send(OutgoingMessage.builder().to(bob.address().value()).subject("first").text("1").build());
        }
        byte[] certificate = Files.readAllBytes(sandbox.certificateFile());
        sandbox.close();

        sandbox = Sandbox.builder(dir).start();

        assertThat(Files.readAllBytes(sandbox.certificateFile())).isEqualTo(certificate);
        MailboxCredentials again = sandbox.credentials(ada.address()).orElseThrow();
        assertThat(again.smtpPassword()).isEqualTo(ada.smtpPassword());
        assertThat(again.smtpPort()).isEqualTo(sandbox.smtpPort());
        try (MailService mail = sandbox.mailService(again)) {
            mail.send(OutgoingMessage.builder().to(bob.address().value()).subject("second").text("2").build());
        }
        assertThat(SandboxLoad.maildir(sandbox.maildir(bob.address()))).extracting(MimeMessage::getSubject)
                .containsExactlyInAnyOrder("first", "second");
    }

    @Test
    void aRetriedTransactionStoresNothingTwiceForAnyRecipient() throws Exception {
        MailboxCredentials cid = agent("cid.campeador.003.20241005123045", "Cid");
        try (MailService mail = sandbox.mailService(ada)) {
            jakarta.mail.internet.MimeMessage message = mail.toMimeMessage(OutgoingMessage.builder()
                    .to(bob.address().value()).to(cid.address().value()).subject("twice").text("same bytes").build());

            mail.send(message); // as a client does after a lost 250 or a 451 for one recipient
            Thread.sleep(1_100); // a Received header written anew would now carry another second
            mail.send(message);
        }

        assertThat(SandboxLoad.maildir(sandbox.maildir(bob.address()))).hasSize(1);
        assertThat(SandboxLoad.maildir(sandbox.maildir(cid.address()))).hasSize(1);
    }

    @Test
    void aMessageWithoutMessageIdGetsOneFromItsContent() {
        byte[] with = "Subject: x\r\nMessage-ID: <a@b>\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] without = "Subject: x\r\n\r\nMessage-ID: <in the body>\r\n".getBytes(StandardCharsets.US_ASCII);

        assertThat(SandboxSmtpServer.hasHeader(with, "message-id")).isTrue();
        assertThat(SandboxSmtpServer.hasHeader(without, "message-id")).isFalse();
    }

    @Test
    void theWebhookRefusesCallersWithoutTheSecret() throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var response = client.send(java.net.http.HttpRequest.newBuilder(sandbox.webhookUrl())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Secret.of("x").toString()).doesNotContain("x");
    }

}
