package io.azt3knet.mail.provisioning;

import io.azt3knet.mail.MailboxAddress;
import java.util.Objects;

/**
 * A mailbox to create.
 *
 * @param address the agent's address
 * @param displayName the name shown in {@code From}, may be empty
 */
public record MailboxRequest(MailboxAddress address, String displayName) {

    /** Validates the request; the display name must not contain line breaks. */
    public MailboxRequest {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(displayName, "displayName");
        if (displayName.indexOf('\r') >= 0 || displayName.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("display name must not contain line breaks");
        }
    }

    /**
     * @param address the address
     * @return a request with no display name
     */
    public static MailboxRequest of(MailboxAddress address) {
        return new MailboxRequest(address, "");
    }
}
