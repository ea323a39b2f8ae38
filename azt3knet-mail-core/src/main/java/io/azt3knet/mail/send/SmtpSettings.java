package io.azt3knet.mail.send;

import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.config.SettingsReader;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach the SMTP relay.
 *
 * <table>
 *   <caption>Variables read by {@link #from(ConfigSource)}</caption>
 *   <tr><th>variable</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code MAILJET_SMTP_HOST}</td><td>relay host</td><td>{@code in-v3.mailjet.com}</td></tr>
 *   <tr><td>{@code MAILJET_SMTP_PORT}</td><td>relay port; 465 means implicit TLS, anything else STARTTLS
 *       (required)</td><td>{@code 587}</td></tr>
 * </table>
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

    /** Variable naming the relay host. */
    public static final String HOST = "MAILJET_SMTP_HOST";
    /** Variable naming the relay port. */
    public static final String PORT = "MAILJET_SMTP_PORT";
    /** Mailjet's SMTP relay. */
    public static final String DEFAULT_HOST = "in-v3.mailjet.com";
    /** The submission port, with STARTTLS. */
    public static final int DEFAULT_PORT = 587;

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

    /** @return Mailjet's relay on 587 with STARTTLS; 15 s to connect, 60 s per read or write */
    public static SmtpSettings defaults() {
        return of(DEFAULT_HOST, DEFAULT_PORT);
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
     * @param source the configuration
     * @return the settings
     * @throws io.azt3knet.mail.ConfigurationException naming every malformed variable
     */
    public static SmtpSettings from(ConfigSource source) {
        SettingsReader r = new SettingsReader(source);
        String host = r.string(HOST, DEFAULT_HOST);
        int port = r.integer(PORT, DEFAULT_PORT, 1, 65535);
        if (host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@')) {
            r.problem(HOST + " must be a host name, got '" + host.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        r.validate();
        return of(host, port);
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
