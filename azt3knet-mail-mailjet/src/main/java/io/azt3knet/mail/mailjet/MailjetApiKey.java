package io.azt3knet.mail.mailjet;

import static io.azt3knet.mail.mailjet.internal.LenientJson.bool;
import static io.azt3knet.mail.mailjet.internal.LenientJson.number;
import static io.azt3knet.mail.mailjet.internal.LenientJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.azt3knet.mail.Secret;
import java.util.Objects;
import java.util.Optional;

/**
 * A (sub-account) API key ({@code /v3/REST/apikey}): its key pair is also an SMTP login.
 * {@link #toString()} never shows the secret.
 *
 * @param id the key's id
 * @param name the key's name
 * @param apiKey the public key, the SMTP username
 * @param secretKey the secret key, the SMTP password; empty when Mailjet did not return it
 * @param active whether the key is active
 */
public record MailjetApiKey(long id, String name, String apiKey, Optional<Secret> secretKey, boolean active) {

    /** Validates that nothing is null. */
    public MailjetApiKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(secretKey, "secretKey");
    }

    static MailjetApiKey from(JsonNode n) {
        String secret = text(n, "SecretKey");
        return new MailjetApiKey(number(n, "ID"), text(n, "Name"), text(n, "APIKey"),
                secret.isEmpty() ? Optional.empty() : Optional.of(Secret.of(secret)), bool(n, "IsActive"));
    }

    @Override
    public String toString() {
        return "MailjetApiKey[id=" + id + ", name=" + name + ", apiKey=" + apiKey + ", secretKey="
                + (secretKey.isPresent() ? "****" : "(not returned)") + ", active=" + active + "]";
    }
}
