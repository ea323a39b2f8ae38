package io.azt3knet.mail;

/**
 * The root of every exception this library throws on purpose. Unchecked.
 *
 * <p>The subclasses say what went wrong and what to do about it:
 * <ul>
 *   <li>{@link ConfigurationException}: settings missing or malformed (lists every problem);</li>
 *   <li>{@link ProviderServiceException}: a provider answered and said no (status, message, request id,
 *       retryable, retry-after); {@link QuotaExhaustedException} when its rate limit leaves no slot soon;</li>
 *   <li>{@link ProviderTransportException}: no answer at all (connection refused, reset, timeout);</li>
 *   <li>{@link InboundRejectedException}: an inbound webhook call was refused (auth, size, malformed);</li>
 *   <li>{@link NamingExhaustedException}: no free address left for a base name in one second;</li>
 *   <li>{@link ManifestException}: a population manifest is malformed or does not fit the command;</li>
 *   <li>{@link MailSendException}: SMTP sending failed (authentication, refused recipients, timeout);</li>
 *   <li>{@link MessageStoreException}: stored mail could not be read or changed;</li>
 *   <li>{@link MessageWaitTimeoutException}: no matching message arrived within a wait's timeout;</li>
 *   <li>{@link DnsConflictException}: a DNS plan conflicts with records someone else owns (a foreign MX, a
 *       CNAME); nothing was written.</li>
 * </ul>
 * Messages never contain secrets.
 */
public abstract sealed class MailException extends RuntimeException
        permits ConfigurationException, DnsConflictException, InboundRejectedException, MailSendException,
        ManifestException, MessageStoreException, MessageWaitTimeoutException, NamingExhaustedException,
        ProviderException, StalePlanException {

    private static final long serialVersionUID = 1L;

    protected MailException(String message) {
        super(message);
    }

    protected MailException(String message, Throwable cause) {
        super(message, cause);
    }
}
