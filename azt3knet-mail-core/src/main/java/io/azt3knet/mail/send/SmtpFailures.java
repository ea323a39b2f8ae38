package io.azt3knet.mail.send;

import io.azt3knet.mail.MailSendException;
import io.azt3knet.mail.MailSendException.Kind;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Maps Jakarta Mail's exceptions to the {@link MailSendException.Kind kinds} callers act on: a refused login, refused
 * recipients (named), a timeout, a connection or TLS failure, or a refused message, each with a message that
 * says what was being done and what to check. Never quotes the password.
 */
final class SmtpFailures {

    private SmtpFailures() {
    }

    /**
     * @param e what Jakarta Mail threw
     * @param doing what was being done, for the message ("connecting to host:port")
     * @param sending whether the message was being handed over (a connection lost then may have delivered it)
     * @param settings the relay, for the message
     * @param username the login, for the message (never the password)
     * @return the typed failure
     */
    static MailSendException classify(MessagingException e, String doing, boolean sending, SmtpSettings settings,
            String username) {
        OptionalInt code = replyCode(e);
        boolean temporary = code.isPresent() && code.getAsInt() >= 400 && code.getAsInt() < 500;
        String later = temporary ? "; the server says this is temporary: send it again later" : "";
        if (e instanceof AuthenticationFailedException) {
            return new MailSendException(Kind.AUTHENTICATION, "the SMTP server refused the login of user '" + username
                    + "' while " + doing + (temporary ? later : ": check the SMTP username and password"), List.of(),
                    code, temporary, e);
        }
        if (e instanceof SendFailedException sfe && sfe.getInvalidAddresses() != null
                && sfe.getInvalidAddresses().length > 0) {
            List<String> refused = new ArrayList<>();
            for (Address a : sfe.getInvalidAddresses()) {
                refused.add(a instanceof InternetAddress ia ? ia.getAddress() : a.toString());
            }
            return new MailSendException(Kind.RECIPIENT_REFUSED, "the SMTP server refused " + refused.size()
                    + " recipient(s) while " + doing + ": " + String.join(", ", refused)
                    + "; nothing was sent (" + serverReply(e) + ")" + later, refused, code, temporary, e);
        }
        Set<Throwable> chain = causes(e);
        if (chain.stream().anyMatch(t -> t instanceof SocketTimeoutException)) {
            return new MailSendException(Kind.TIMEOUT, "the SMTP server did not answer in time while " + doing
                    + " (connect " + settings.connectTimeout().toSeconds() + " s, read "
                    + settings.readTimeout().toSeconds() + " s)", List.of(), code, !sending, e);
        }
        String text = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (text.contains("starttls")) {
            return new MailSendException(Kind.CONNECTION, "the SMTP server at " + settings.host() + ":"
                    + settings.port() + " does not offer STARTTLS; refusing to send credentials over an unencrypted "
                    + "connection (use port 587 with STARTTLS or 465 with implicit TLS)", List.of(), e);
        }
        if (chain.stream().anyMatch(t -> t instanceof SSLException || t instanceof GeneralSecurityException)) {
            return new MailSendException(Kind.CONNECTION, "the TLS handshake with " + settings.host() + ":"
                    + settings.port() + " failed while " + doing + " (untrusted certificate, wrong host name or no "
                    + "common protocol): " + rootMessage(e), List.of(), e);
        }
        // Angus reports a connection the server closed as the reply "[EOF]" (code -1), not as an IOException
        boolean closedByServer = chain.stream().anyMatch(t -> String.valueOf(t.getMessage()).contains("[EOF]"));
        boolean lost = closedByServer || e instanceof org.eclipse.angus.mail.util.MailConnectException
                || chain.stream().anyMatch(t -> t instanceof IOException);
        if (lost && sending) {
            return new MailSendException(Kind.CONNECTION, "the connection to the SMTP server broke while " + doing
                    + " (" + (closedByServer ? "closed by the server" : rootMessage(e)) + "): the message may have been"
                    + " accepted, so it is not sent again; check the recipient's mailbox before sending it yourself",
                    List.of(), code, false, e);
        }
        if (lost) {
            return new MailSendException(Kind.CONNECTION, "could not connect to the SMTP server while " + doing + ": "
                    + (closedByServer ? "the server closed the connection" : rootMessage(e)), List.of(), code, true, e);
        }
        return new MailSendException(Kind.MESSAGE, "the SMTP server refused the message while " + doing + ": "
                + serverReply(e) + later, List.of(), code, temporary, e);
    }

    /**
     * The reply code the server refused with: Angus's SMTP exceptions carry it; an authentication failure only has
     * the reply's text, which starts with it ("535 5.7.8 ...").
     */
    private static OptionalInt replyCode(MessagingException e) {
        for (Throwable c : causes(e)) {
            int code = c instanceof AuthenticationFailedException ? leadingCode(String.valueOf(c.getMessage()).strip())
                    : returnCode(c);
            if (code >= 200 && code < 600) {
                return OptionalInt.of(code);
            }
        }
        return OptionalInt.empty();
    }

    /** The reply code one of Angus's SMTP exceptions carries, or -1. */
    private static int returnCode(Throwable t) {
        if (t instanceof org.eclipse.angus.mail.smtp.SMTPSendFailedException s) {
            return s.getReturnCode();
        }
        if (t instanceof org.eclipse.angus.mail.smtp.SMTPAddressFailedException s) {
            return s.getReturnCode();
        }
        if (t instanceof org.eclipse.angus.mail.smtp.SMTPSenderFailedException s) {
            return s.getReturnCode();
        }
        return -1;
    }

    /** The three digits a reply line starts with, or -1. */
    private static int leadingCode(String reply) {
        boolean coded = reply.length() >= 3 && reply.substring(0, 3).chars().allMatch(Character::isDigit)
                && (reply.length() == 3 || !Character.isDigit(reply.charAt(3)));
        return coded ? Integer.parseInt(reply.substring(0, 3)) : -1;
    }

    private static Set<Throwable> causes(Throwable t) {
        Set<Throwable> chain = new LinkedHashSet<>();
        for (Throwable c = t; c != null && chain.add(c); ) {
            c = c instanceof MessagingException me && me.getNextException() != null ? me.getNextException() : c.getCause();
        }
        return chain;
    }

    private static String rootMessage(Throwable t) {
        Throwable last = t;
        for (Throwable c : causes(t)) {
            last = c;
        }
        return last.getClass().getSimpleName() + (last.getMessage() == null ? "" : ": " + last.getMessage());
    }

    /** The server's reply line ("server said 451 4.3.0 ..."), its code once: Angus's message is the whole line. */
    private static String serverReply(MessagingException e) {
        for (Throwable c : causes(e)) {
            int code = returnCode(c);
            if (code > 0) {
                String reply = String.valueOf(c.getMessage()).strip();
                return "server said " + (leadingCode(reply) == code ? reply : code + " " + reply);
            }
        }
        return String.valueOf(e.getMessage()).strip();
    }
}
