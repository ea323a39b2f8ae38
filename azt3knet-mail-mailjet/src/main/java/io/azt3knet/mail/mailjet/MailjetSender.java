package io.azt3knet.mail.mailjet;

import static io.azt3knet.mail.mailjet.internal.LenientJson.number;
import static io.azt3knet.mail.mailjet.internal.LenientJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A Mailjet sender ({@code /v3/REST/sender}): one address, or a whole domain as the catch-all {@code *@domain}.
 *
 * @param id the sender id (the id {@code sender/{id}/validate} takes)
 * @param email the address or {@code *@domain}
 * @param name the sender's name, may be empty
 * @param status {@code Inactive}, {@code Active} or {@code Deleted}
 * @param dnsId the id of the domain's {@code dns} entry, 0 if Mailjet gave none
 * @param fileName the name of the validation file Mailjet accepts at the web root, may be empty
 */
public record MailjetSender(long id, String email, String name, String status, long dnsId, String fileName) {

    /** Validates that nothing is null. */
    public MailjetSender {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(fileName, "fileName");
    }

    /** @return whether Mailjet accepts mail from this sender */
    public boolean isActive() {
        return status.equalsIgnoreCase("Active");
    }

    static MailjetSender from(JsonNode n) {
        return new MailjetSender(number(n, "ID"), text(n, "Email"), text(n, "Name"), text(n, "Status"),
                number(n, "DNSID"), text(n, "Filename"));
    }
}
