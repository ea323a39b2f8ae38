package io.azt3knet.mail.send;

import io.azt3knet.mail.MailboxAddress;
import jakarta.mail.Session;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The Jakarta Mail session and TLS setup of {@link MailService}: STARTTLS required (or implicit TLS), TLS 1.2 or
 * 1.3 only, the server's host name always checked, every step timed out.
 */
final class SmtpSessions {

    private SmtpSessions() {
    }

    /**
     * @param s host, port, TLS mode and timeouts
     * @param sender the envelope sender
     * @param socketFactory TLS sockets trusting a given store, or {@code null} for the JVM's trust store
     * @return a session whose every connection is encrypted and checks the server's certificate and name
     */
    static Session open(SmtpSettings s, MailboxAddress sender, @Nullable SSLSocketFactory socketFactory) {
        Properties p = new Properties();
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", s.host());
        p.put("mail.smtp.port", String.valueOf(s.port()));
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.from", sender.value());
        p.put("mail.smtp.connectiontimeout", String.valueOf(s.connectTimeout().toMillis()));
        p.put("mail.smtp.timeout", String.valueOf(s.readTimeout().toMillis()));
        p.put("mail.smtp.writetimeout", String.valueOf(s.writeTimeout().toMillis()));
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        p.put("mail.smtp.ssl.protocols", "TLSv1.3 TLSv1.2");
        if (s.security() == SmtpSecurity.IMPLICIT_TLS) {
            p.put("mail.smtp.ssl.enable", "true");
        } else {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (socketFactory != null) {
            p.put("mail.smtp.ssl.socketFactory", socketFactory);
        }
        if (io.azt3knet.mail.internal.http.Loopback.isLoopback(s.host())) {
            // a server on this machine (the sandbox): greet it as localhost rather than let Angus resolve this
            // machine's name for EHLO, a DNS lookup that an offline run must not make
            p.put("mail.smtp.localhost", "localhost");
        }
        return Session.getInstance(p);
    }

    /**
     * @param trustStore the only certificates to trust
     * @return TLS sockets trusting exactly those (host names are still checked by the session)
     * @throws IllegalArgumentException if the store cannot be used
     */
    static SSLSocketFactory trusting(KeyStore trustStore) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the trust store cannot be used: " + e.getMessage(), e);
        }
    }
}
