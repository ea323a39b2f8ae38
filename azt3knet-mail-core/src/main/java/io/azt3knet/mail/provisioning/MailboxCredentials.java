package io.azt3knet.mail.provisioning;

import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.Secret;
import java.net.URI;
import java.util.Objects;

/**
 * Everything an agent needs to use its mailbox: its address and display name, how to send (SMTP host,
 * port, username, password) and where its inbound mail goes (route id and URL, without the credentials the route
 * carries). {@link #toString()} never shows the password.
 *
 * @param address the agent's address
 * @param displayName the agent's display name, may be empty
 * @param smtpHost the SMTP relay host
 * @param smtpPort the SMTP relay port
 * @param smtpUsername the SMTP login
 * @param smtpPassword the SMTP password
 * @param routeId the provider's id of the inbound route
 * @param routeUrl where the provider posts the agent's inbound mail, credentials stripped
 */
public record MailboxCredentials(MailboxAddress address, String displayName, String smtpHost, int smtpPort,
        String smtpUsername, Secret smtpPassword, String routeId, URI routeUrl) {

    /** Validates that nothing is null and the port is a port. */
    public MailboxCredentials {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(smtpHost, "smtpHost");
        Objects.requireNonNull(smtpUsername, "smtpUsername");
        Objects.requireNonNull(smtpPassword, "smtpPassword");
        Objects.requireNonNull(routeId, "routeId");
        routeUrl = Mailbox.withoutCredentials(routeUrl);
        if (smtpPort < 1 || smtpPort > 65535) {
            throw new IllegalArgumentException("smtpPort must be 1..65535, got " + smtpPort);
        }
    }

    /** @return the mailbox part of these credentials */
    public Mailbox mailbox() {
        return new Mailbox(address, routeId, routeUrl);
    }

    @Override
    public String toString() {
        return "MailboxCredentials[address=" + address + ", displayName=" + displayName + ", smtp=" + smtpUsername
                + "@" + smtpHost + ":" + smtpPort + ", smtpPassword=" + smtpPassword + ", routeId=" + routeId
                + ", routeUrl=" + routeUrl + "]";
    }
}
