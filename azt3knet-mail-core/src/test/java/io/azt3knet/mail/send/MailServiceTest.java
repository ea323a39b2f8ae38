package io.azt3knet.mail.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.azt3knet.mail.MailSendException;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MailServiceTest {

    static {
        // GreenMail's own certificate names no host, so it cannot pass the host name check MailService keeps on
        System.setProperty("greenmail.tls.keystore.file", TestTls.serverKeyStorePath());
        System.setProperty("greenmail.tls.keystore.password", TestTls.PASSWORD);
    }

    private static final String AGENT = "ada.lovelace.042.20240305091522@agents.example";
    private static final String USER = "api-key-123";
    private static final Secret PASSWORD = Secret.of("api-secret-456");
    private static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABXvMqGgAAAABJRU5ErkJggg==");
    private static final byte[] PDF = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\nbinary \u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-03-05T09:15:22Z"), ZoneOffset.UTC);

    @RegisterExtension
    static final GreenMailExtension GREENMAIL = new GreenMailExtension(
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(AGENT, USER, PASSWORD.reveal()));

    private static SmtpSettings fast(int port, SmtpSecurity security) {
        return SmtpSettings.of("127.0.0.1", port).withSecurity(security)
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    private static MailService.Builder service(SmtpSettings settings, Secret password) {
        return MailService.builder().settings(settings)
                .sender(MailboxAddress.parse(AGENT), "Ada Lövelace")
                .login(USER, password)
                .trustStore(TestTls.trustStore())
                .clock(CLOCK);
    }

    private static int smtpsPort() {
        return GREENMAIL.getSmtps().getPort();
    }

    private static OutgoingMessage richMessage() {
        return OutgoingMessage.builder()
                .to("bob@example.org", "Bøb Bäcker")
                .cc("carol@example.net")
                .bcc("dave@example.com")
                .replyTo("replies@agents.example")
                .subject("Grüße – Bericht für März ✓")
                .text("Hallo Bob,\n\nder Bericht ist anbei. Grüße\n")
                .html("<p>Hallo Bob,</p><p>Grüße</p><img src=\"cid:logo@agents.example\">")
                .inline("logo@agents.example", "image/png", PNG)
                .attach("Bericht März.pdf", "application/pdf", PDF)
                .header("X-MJ-CustomID", "report-4711")
                .header("X-MJ-EventPayload", "{\"ticket\":4711}")
                .build();
    }

    @Test
    void sendsOverImplicitTlsWithLoginAndTheServerReceivesExactlyWhatWasBuilt() throws Exception {
        try (MailService mail = service(fast(smtpsPort(), SmtpSecurity.IMPLICIT_TLS), PASSWORD).build()) {
            String messageId = mail.send(richMessage());

            assertThat(messageId).matches("<[0-9a-f-]{36}@agents\\.example>");
        }

        MimeMessage[] received = GREENMAIL.getReceivedMessages();
        assertThat(received).hasSize(3); // one copy per recipient, Bcc included
        MimeMessage m = received[0];
        String raw = GreenMailUtil.getWholeMessage(m);
        assertThat(raw.replaceAll("\r?\n[ \t]+", " ")).contains("From: =?UTF-8?Q?Ada_L=C3=B6velace?= <" + AGENT + ">")
                .contains("X-MJ-CustomID: report-4711")
                .contains("X-MJ-EventPayload: {\"ticket\":4711}")
                .contains("Date: Tue, 5 Mar 2024 09:15:22 +0000 (UTC)")
                .doesNotContain("dave@example.com") // Bcc never appears in the headers
                .doesNotContain(PASSWORD.reveal());
        for (char c : raw.toCharArray()) {
            assertThat((int) c).as("7-bit clean").isLessThan(128);
        }
        assertThat(m.getSubject()).isEqualTo("Grüße – Bericht für März ✓");
        InternetAddress to = (InternetAddress) m.getRecipients(MimeMessage.RecipientType.TO)[0];
        assertThat(to.getPersonal()).isEqualTo("Bøb Bäcker");
        assertThat(((InternetAddress) m.getReplyTo()[0]).getAddress()).isEqualTo("replies@agents.example");

        Multipart mixed = (Multipart) m.getContent();
        Multipart related = (Multipart) mixed.getBodyPart(0).getContent();
        Multipart alternative = (Multipart) related.getBodyPart(0).getContent();
        // SMTP carries text with CRLF line ends: that is the only change
        assertThat(alternative.getBodyPart(0).getContent()).isEqualTo("Hallo Bob,\r\n\r\nder Bericht ist anbei. Grüße\r\n");
        assertThat((String) alternative.getBodyPart(1).getContent()).contains("<p>Grüße</p>");
        MimeBodyPart logo = (MimeBodyPart) related.getBodyPart(1);
        assertThat(logo.getContentID()).isEqualTo("<logo@agents.example>");
        assertThat(logo.getDisposition()).isEqualTo(Part.INLINE);
        assertThat(logo.getInputStream().readAllBytes()).isEqualTo(PNG);
        MimeBodyPart pdf = (MimeBodyPart) mixed.getBodyPart(1);
        assertThat(pdf.getDisposition()).isEqualTo(Part.ATTACHMENT);
        assertThat(MimeUtility.decodeText(pdf.getFileName())).isEqualTo("Bericht März.pdf");
        assertThat(pdf.getInputStream().readAllBytes()).isEqualTo(PDF);
    }

    @Test
    void reportsARefusedLoginAsAuthentication() {
        try (MailService mail = service(fast(smtpsPort(), SmtpSecurity.IMPLICIT_TLS), Secret.of("wrong-password")).build()) {
            assertThatThrownBy(() -> mail.send(richMessage()))
                    .isInstanceOfSatisfying(MailSendException.class, e -> {
                        assertThat(e.kind()).isEqualTo(MailSendException.Kind.AUTHENTICATION);
                        assertThat(e.getMessage()).contains(USER).doesNotContain("wrong-password");
                    });
        }
        assertThat(GREENMAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void refusesAServerWhoseCertificateIsNotTrusted() {
        MailService mail = MailService.builder().settings(fast(smtpsPort(), SmtpSecurity.IMPLICIT_TLS))
                .sender(MailboxAddress.parse(AGENT), "").login(USER, PASSWORD).build(); // JVM default trust

        assertThatThrownBy(() -> mail.send(richMessage()))
                .isInstanceOfSatisfying(MailSendException.class,
                        e -> assertThat(e.kind()).isEqualTo(MailSendException.Kind.CONNECTION));
        assertThat(GREENMAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void upgradesWithStartTlsAndSendsTheLoginOnlyAfterTheUpgrade() throws Exception {
        try (StartTlsSmtpServer server = new StartTlsSmtpServer(true, USER, PASSWORD.reveal());
                MailService mail = service(fast(server.port(), SmtpSecurity.STARTTLS), PASSWORD).build()) {
            mail.send(OutgoingMessage.builder().to("bob@example.org").subject("über").text("hi").build());

            assertThat(server.commands).extracting(c -> c.split(" ")[0])
                    .containsSubsequence("EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL", "RCPT", "DATA");
            assertThat(server.commands.indexOf("STARTTLS")).isLessThan(indexOfPrefix(server.commands, "AUTH"));
            assertThat(server.commands).anySatisfy(c -> assertThat(c).isEqualTo("MAIL FROM:<" + AGENT + ">"));
            assertThat(server.messages).hasSize(1);
            assertThat(new String(server.messages.get(0), StandardCharsets.US_ASCII))
                    .contains("Subject: =?UTF-8?Q?=C3=BCber?=");
        }
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void refusesToSendCredentialsToAServerWithoutStartTls() throws Exception {
        try (StartTlsSmtpServer server = new StartTlsSmtpServer(false, USER, PASSWORD.reveal());
                MailService mail = service(fast(server.port(), SmtpSecurity.STARTTLS), PASSWORD).build()) {
            assertThatThrownBy(() -> mail.send(richMessage()))
                    .isInstanceOfSatisfying(MailSendException.class, e -> {
                        assertThat(e.kind()).isEqualTo(MailSendException.Kind.CONNECTION);
                        assertThat(e.getMessage()).contains("does not offer STARTTLS");
                    });
            assertThat(server.commands).noneSatisfy(c -> assertThat(c).startsWith("AUTH"));
            assertThat(server.commands).noneSatisfy(c -> assertThat(c).startsWith("MAIL"));
        }
    }

    @Test
    void refusesAServerWhoseCertificateDoesNotNameTheHost() throws Exception {
        // GreenMail's bundled certificate is trusted here but names no host: the identity check must fail
        KeyStore greenmail = TestTls.load("/greenmail.p12");
        try (StartTlsSmtpServer server = new StartTlsSmtpServer(true, USER, PASSWORD.reveal(),
                TestTls.serverContext("/greenmail.p12"));
                MailService mail = service(fast(server.port(), SmtpSecurity.STARTTLS), PASSWORD)
                        .trustStore(greenmail).build()) {
            assertThatThrownBy(() -> mail.send(richMessage()))
                    .isInstanceOfSatisfying(MailSendException.class,
                            e -> assertThat(e.kind()).isEqualTo(MailSendException.Kind.CONNECTION));
            assertThat(server.commands).noneSatisfy(c -> assertThat(c).startsWith("AUTH"));
        }
    }

    @Test
    void listsTheRefusedRecipientsAndSendsNothing() throws Exception {
        try (StartTlsSmtpServer server = new StartTlsSmtpServer(true, USER, PASSWORD.reveal());
                MailService mail = service(fast(server.port(), SmtpSecurity.STARTTLS), PASSWORD).build()) {
            OutgoingMessage m = OutgoingMessage.builder().to("bob@example.org").to("refused.one@example.org")
                    .cc("refused.two@example.org").text("x").build();

            assertThatThrownBy(() -> mail.send(m)).isInstanceOfSatisfying(MailSendException.class, e -> {
                assertThat(e.kind()).isEqualTo(MailSendException.Kind.RECIPIENT_REFUSED);
                assertThat(e.refusedRecipients()).containsExactlyInAnyOrder("refused.one@example.org",
                        "refused.two@example.org");
            });
            assertThat(server.messages).isEmpty();
        }
    }

    @Test
    void sendsABatchOverOneConnectionAndKeepsGoingAfterARefusedMessage() throws Exception {
        try (StartTlsSmtpServer server = new StartTlsSmtpServer(true, USER, PASSWORD.reveal());
                MailService mail = service(fast(server.port(), SmtpSecurity.STARTTLS), PASSWORD).build()) {
            List<OutgoingMessage> batch = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                batch.add(OutgoingMessage.builder().to(i == 2 ? "refused@example.org" : "bob" + i + "@example.org")
                        .subject("n" + i).text("x").build());
            }

            List<SendOutcome> outcomes = mail.sendAll(batch);

            assertThat(outcomes).hasSize(5);
            assertThat(outcomes.get(2)).isInstanceOfSatisfying(SendOutcome.Failed.class,
                    f -> assertThat(f.error().kind()).isEqualTo(MailSendException.Kind.RECIPIENT_REFUSED));
            assertThat(List.of(outcomes.get(0), outcomes.get(1), outcomes.get(3), outcomes.get(4)))
                    .allSatisfy(o -> assertThat(o).isInstanceOf(SendOutcome.Sent.class));
            assertThat(server.messages).hasSize(4);
            assertThat(server.connections.get()).isEqualTo(1);
            assertThat(server.commands.stream().filter(c -> c.startsWith("AUTH")).count()).isEqualTo(1);
        }
    }

    @Test
    void reportsAServerThatNeverAnswersAsTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept()); // accepted, never answered
                    }
                } catch (Exception e) {
                    held.forEach(s -> {
                        try {
                            s.close();
                        } catch (Exception ignored) {
                            // closing
                        }
                    });
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            SmtpSettings settings = SmtpSettings.of("127.0.0.1", silent.getLocalPort())
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofMillis(300));

            try (MailService mail = service(settings, PASSWORD).build()) {
                assertThatThrownBy(() -> mail.send(richMessage())).isInstanceOfSatisfying(MailSendException.class,
                        e -> assertThat(e.kind()).isEqualTo(MailSendException.Kind.TIMEOUT));
            }
        }
    }

    @Test
    void reportsARefusedConnectionAsConnection() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (MailService mail = service(fast(closedPort, SmtpSecurity.STARTTLS), PASSWORD).build()) {
            assertThatThrownBy(() -> mail.send(richMessage())).isInstanceOfSatisfying(MailSendException.class,
                    e -> assertThat(e.kind()).isEqualTo(MailSendException.Kind.CONNECTION));
        }
    }

    @Test
    void settingsAndCredentialsGiveTheSameServiceInEitherOrder() throws Exception {
        // GreenMail's implicit-TLS port is not 465: only the explicit settings say IMPLICIT_TLS
        MailboxCredentials credentials = new MailboxCredentials(MailboxAddress.parse(AGENT), "Ada", "127.0.0.1",
                smtpsPort(), USER, PASSWORD, "route-1", URI.create("https://hooks.example.org/in"));
        SmtpSettings implicitTls = fast(smtpsPort(), SmtpSecurity.IMPLICIT_TLS);
        List<MailService.Builder> orders = List.of(
                MailService.builder().settings(implicitTls).credentials(credentials),
                MailService.builder().credentials(credentials).settings(implicitTls));
        for (MailService.Builder builder : orders) {
            try (MailService mail = builder.trustStore(TestTls.trustStore()).build()) {
                assertThat(mail.settings()).isEqualTo(implicitTls);
                mail.send(OutgoingMessage.builder().to("bob@example.org").subject("order").text("hi").build());
            }
        }
        assertThat(GREENMAIL.getReceivedMessages()).hasSize(2);
    }

    @Test
    void settingsNamingAnotherRelayThanTheCredentialsAreRefusedInEitherOrder() {
        MailboxCredentials credentials = new MailboxCredentials(MailboxAddress.parse(AGENT), "Ada", "smtp.example.org",
                587, USER, PASSWORD, "route-1", URI.create("https://hooks.example.org/in"));
        SmtpSettings other = SmtpSettings.of("relay.example.net", 465);
        assertThatThrownBy(() -> MailService.builder().settings(other).credentials(credentials).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("relay.example.net:465").hasMessageContaining("smtp.example.org:587");
        assertThatThrownBy(() -> MailService.builder().credentials(credentials).settings(other).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("relay.example.net:465").hasMessageContaining("smtp.example.org:587");
    }

    @Test
    void takesSenderLoginAndEndpointFromTheAgentsCredentials() {
        MailboxCredentials credentials = new MailboxCredentials(MailboxAddress.parse(AGENT), "Ada", "smtp.example.org",
                465, USER, PASSWORD, "route-1", URI.create("https://hooks.example.org/in"));

        try (MailService mail = MailService.forAgent(credentials)) {
            assertThat(mail.settings().host()).isEqualTo("smtp.example.org");
            assertThat(mail.settings().security()).isEqualTo(SmtpSecurity.IMPLICIT_TLS);
            assertThat(mail.sender().value()).isEqualTo(AGENT);
            assertThat(mail.toString()).doesNotContain(PASSWORD.reveal());
        }
    }

    @Test
    void refusesAGivenMimeMessageFromSomeoneElseAndFillsAMissingFrom() throws Exception {
        try (MailService mail = service(fast(smtpsPort(), SmtpSecurity.IMPLICIT_TLS), PASSWORD).build()) {
            MimeMessage foreign = new MimeMessage((jakarta.mail.Session) null);
            foreign.setFrom("mallory@example.org");
            foreign.setRecipients(MimeMessage.RecipientType.TO, "bob@example.org");
            foreign.setText("x");
            assertThatThrownBy(() -> mail.send(foreign)).isInstanceOf(IllegalArgumentException.class);

            MimeMessage own = new MimeMessage((jakarta.mail.Session) null);
            own.setRecipients(MimeMessage.RecipientType.TO, "bob@example.org");
            own.setSubject("given");
            own.setText("x");
            mail.send(own);
        }
        MimeMessage received = GREENMAIL.getReceivedMessages()[0];
        assertThat(((InternetAddress) received.getFrom()[0]).getAddress()).isEqualTo(AGENT);
        assertThat(received.getSubject()).isEqualTo("given");
    }

    @Test
    void aServiceWithoutARelayIsRefusedWhenBuiltNamingWhatToGive() {
        // core knows no provider's relay: the relay comes from the credentials or from settings
        assertThatThrownBy(() -> MailService.builder().sender(io.azt3knet.mail.MailboxAddress.parse(AGENT), "")
                .login(AGENT, io.azt3knet.mail.Secret.of("pw")).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("settings(...)").hasMessageContaining("credentials(...)");
    }
}
