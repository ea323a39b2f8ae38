package io.azt3knet.mail.provisioning;

import io.azt3knet.mail.MailboxAddress;
import java.net.URI;
import java.util.Objects;

/**
 * A mailbox as it exists at the provider: its address and the inbound route that delivers its mail.
 *
 * @param address the address
 * @param routeId the provider's id of the inbound route
 * @param routeUrl where the provider posts inbound mail, without any credentials the route carries (those are the
 *     inbound secret: they never leave the provisioner)
 */
public record Mailbox(MailboxAddress address, String routeId, URI routeUrl) {

    /** Validates that nothing is null and strips credentials from the route URL. */
    public Mailbox {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(routeId, "routeId");
        routeUrl = withoutCredentials(routeUrl);
    }

    /**
     * @param url a URL
     * @return the URL without user-info ({@code https://user:secret@host/p} becomes {@code https://host/p})
     */
    public static URI withoutCredentials(URI url) {
        Objects.requireNonNull(url, "url");
        String userInfo = url.getRawUserInfo();
        return userInfo == null ? url : URI.create(url.toString().replace(userInfo + "@", ""));
    }
}
