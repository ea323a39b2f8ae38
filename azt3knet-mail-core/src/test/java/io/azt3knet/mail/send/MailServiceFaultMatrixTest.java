package io.azt3knet.mail.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.azt3knet.mail.MailSendException;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.Secret;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The SMTP row of the fault matrix in {@code docs/reliability.md}: one send through {@link MailService} to a real
 * SMTP server on loopback (STARTTLS, then AUTH) that misbehaves in one way per case. Each case pins the typed error
 * ({@link MailSendException#kind()}), that the library connected once and never sent the message twice, and what
 * the server kept: a message the server stored before the connection broke may be delivered, and is not sent again.
 */
class MailServiceFaultMatrixTest {

    private static final String AGENT = "ada.lovelace.042.20240305091522@agents.example";
    private static final String USER = "api-key-123";
    private static final Secret PASSWORD = Secret.of("api-secret-456");

    /**
     * A column: the server's fault, whether the login is wrong, and what must follow.
     *
     * @see StartTlsSmtpServer.Fault
     */
    enum Column {
        CONNECTION_REFUSED(null, false, MailSendException.Kind.CONNECTION, 0, 0, "could not connect", -1, true),
        CONNECTION_DROPPED_BEFORE_THE_GREETING(StartTlsSmtpServer.Fault.DROP_BEFORE_GREETING, false,
                MailSendException.Kind.CONNECTION, 1, 0, "the server closed the connection", -1, true),
        CONNECTION_DROPPED_AFTER_THE_MESSAGE(StartTlsSmtpServer.Fault.DROP_AFTER_THE_MESSAGE, false,
                MailSendException.Kind.CONNECTION, 1, 1, "may have been", -1, false),
        READ_TIMEOUT_AFTER_THE_MESSAGE(StartTlsSmtpServer.Fault.SILENT_AFTER_THE_MESSAGE, false,
                MailSendException.Kind.TIMEOUT, 1, 1, "did not answer in time", -1, false),
        TRANSIENT_4XX(StartTlsSmtpServer.Fault.TRANSIENT_451, false, MailSendException.Kind.MESSAGE, 1, 0,
                "send it again later", 451, true),
        PERMANENT_5XX(StartTlsSmtpServer.Fault.PERMANENT_554, false, MailSendException.Kind.MESSAGE, 1, 0, "554", 554,
                false),
        AUTHENTICATION_FAILURE(StartTlsSmtpServer.Fault.NONE, true, MailSendException.Kind.AUTHENTICATION, 1, 0,
                "check the SMTP username and password", 535, false),
        TEMPORARY_AUTHENTICATION_FAILURE(StartTlsSmtpServer.Fault.TEMPORARY_AUTH_454, false,
                MailSendException.Kind.AUTHENTICATION, 1, 0, "temporary: send it again later", 454, true);

        final StartTlsSmtpServer.@Nullable Fault fault;
        final boolean wrongPassword;
        final MailSendException.Kind kind;
        final int connections;
        final int kept;
        final String says;
        /** The server's reply code, -1 for none. */
        final int replyCode;
        /** Whether sending again later may succeed and cannot deliver twice. */
        final boolean retryable;

        Column(StartTlsSmtpServer.@Nullable Fault fault, boolean wrongPassword, MailSendException.Kind kind,
                int connections, int kept, String says, int replyCode, boolean retryable) {
            this.replyCode = replyCode;
            this.retryable = retryable;
            this.fault = fault;
            this.wrongPassword = wrongPassword;
            this.kind = kind;
            this.connections = connections;
            this.kept = kept;
            this.says = says;
        }
    }

    @ParameterizedTest
    @EnumSource(Column.class)
    void oneFaultOnOneSend(Column column) throws Exception {
        try (StartTlsSmtpServer server = new StartTlsSmtpServer(true, USER, PASSWORD.reveal())) {
            server.fault = Optional.ofNullable(column.fault).orElse(StartTlsSmtpServer.Fault.NONE);
            int port = column == Column.CONNECTION_REFUSED ? closedPort() : server.port();
            SmtpSettings settings = SmtpSettings.of("127.0.0.1", port).withSecurity(SmtpSecurity.STARTTLS)
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(1500), Duration.ofSeconds(5));
            try (MailService mail = MailService.builder().settings(settings).sender(MailboxAddress.parse(AGENT), "Ada")
                    .login(USER, column.wrongPassword ? Secret.of("wrong-password") : PASSWORD)
                    .trustStore(TestTls.trustStore()).build()) {

                Throwable thrown = catchThrowable(() -> mail.send(OutgoingMessage.builder().to("bob@example.org")
                        .subject("report").text("hello").build()));

                assertThat(thrown).isInstanceOfSatisfying(MailSendException.class, e -> {
                    assertThat(e.kind()).isEqualTo(column.kind);
                    assertThat(e.getMessage()).contains(column.says).doesNotContain(PASSWORD.reveal())
                            .as("the reply code quoted once").doesNotContainPattern("\\b(\\d{3}) \\1\\b");
                    assertThat(e.replyCode()).isEqualTo(column.replyCode < 0 ? OptionalInt.empty()
                            : OptionalInt.of(column.replyCode));
                    assertThat(e.retryable()).as("retryable").isEqualTo(column.retryable);
                });
            }
            assertThat(server.connections.get()).as("connections: never a second try").isEqualTo(column.connections);
            assertThat(server.commands.stream().filter(c -> c.equals("DATA")).count()).as("DATA sent")
                    .isLessThanOrEqualTo(1);
            assertThat(server.messages).as("messages the server kept").hasSize(column.kept);
            if (column.kind == MailSendException.Kind.AUTHENTICATION) {
                assertThat(server.commands).as("nothing sent after the refused login").noneMatch(c -> c.startsWith("MAIL"));
            }
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
