package io.azt3knet.mail.send;

/**
 * How the SMTP connection is secured. There is deliberately no plain mode: credentials never travel
 * unencrypted.
 */
public enum SmtpSecurity {
    /**
     * Connect in plain text and upgrade with {@code STARTTLS} before anything else; a server that does not
     * offer {@code STARTTLS} is refused. The usual mode on port 587.
     */
    STARTTLS,
    /** TLS from the first byte (SMTPS), usually on port 465. */
    IMPLICIT_TLS;

    /**
     * @param port an SMTP port
     * @return {@link #IMPLICIT_TLS} for 465, {@link #STARTTLS} otherwise
     */
    public static SmtpSecurity forPort(int port) {
        return port == 465 ? IMPLICIT_TLS : STARTTLS;
    }
}
