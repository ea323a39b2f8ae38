package io.azt3knet.mail.provisioning;

import io.azt3knet.mail.MailboxAddress;
import java.net.URI;
import java.util.Objects;

/**
 * A mailbox as it exists at the provider: its address and the inbound route that delivers its mail.
 *
 * @param address the address
 * @param routeId the provider's id of the inbound route
 * @param routeUrl where the provider posts inbound mail; may carry credentials, which
 *     {@link #toString()} hides
 */
public record Mailbox(MailboxAddress address, String routeId, URI routeUrl) {

    /** Validates that nothing is null. */
    public Mailbox {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(routeId, "routeId");
        Objects.requireNonNull(routeUrl, "routeUrl");
    }

    /**
     * @param url a URL
     * @return the URL with any user-info replaced by {@code ****}
     */
    public static String redact(URI url) {
        if (url.getRawUserInfo() == null) {
            return url.toString();
        }
        return url.toString().replace(url.getRawUserInfo() + "@", "****@");
    }

    @Override
    public String toString() {
        return "Mailbox[address=" + address + ", routeId=" + routeId + ", routeUrl=" + redact(routeUrl) + "]";
    }
}
