package io.azt3knet.mail.send;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach the SMTP relay. Provider-neutral: a provider's credentials carry its relay
 * ({@code MailboxCredentials.smtpHost()}/{@code smtpPort()}), and the provider modules read their own relay
 * variables (for Mailjet: {@code MAILJET_SMTP_HOST} and {@code MAILJET_SMTP_PORT} in {@code MailjetSettings}).
 *
 * @param host the relay host
 * @param port the relay port
 * @param security how the connection is secured
 * @param connectTimeout how long to wait for the TCP connection
 * @param readTimeout how long to wait for each server answer
 * @param writeTimeout how long a write to the server may block
 */
public record SmtpSettings(String host, int port, SmtpSecurity security, Duration connectTimeout,
        Duration readTimeout, Duration writeTimeout) {

    /** The submission port, with STARTTLS. */
    public static final int SUBMISSION_PORT = 587;

    /** Validates every field. */
    public SmtpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
        if (host.isBlank() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@')) {
            throw new IllegalArgumentException("not a host name: '" + host.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(readTimeout, "readTimeout");
        requirePositive(writeTimeout, "writeTimeout");
    }

    /**
     * @param host relay host
     * @param port relay port; 465 selects implicit TLS, anything else STARTTLS
     * @return settings with default timeouts
     */
    public static SmtpSettings of(String host, int port) {
        return new SmtpSettings(host, port, SmtpSecurity.forPort(port), Duration.ofSeconds(15),
                Duration.ofSeconds(60), Duration.ofSeconds(60));
    }

    /**
     * @param host another host
     * @param port another port
     * @return a copy aimed at that endpoint, same TLS mode
     */
    public SmtpSettings withEndpoint(String host, int port) {
        return new SmtpSettings(host, port, security, connectTimeout, readTimeout, writeTimeout);
    }

    /**
     * @param security another TLS mode
     * @return a copy
     */
    public SmtpSettings withSecurity(SmtpSecurity security) {
        return new SmtpSettings(host, port, security, connectTimeout, readTimeout, writeTimeout);
    }

    /**
     * @param connect TCP connect timeout
     * @param read timeout for each server answer
     * @param write timeout for each write
     * @return a copy with these timeouts
     */
    public SmtpSettings withTimeouts(Duration connect, Duration read, Duration write) {
        return new SmtpSettings(host, port, security, connect, read, write);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be positive and below 24 days, got " + d);
        }
    }
}
