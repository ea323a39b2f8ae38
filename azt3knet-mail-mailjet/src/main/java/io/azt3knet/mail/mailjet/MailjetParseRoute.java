package io.azt3knet.mail.mailjet;

import static io.azt3knet.mail.mailjet.internal.LenientJson.number;
import static io.azt3knet.mail.mailjet.internal.LenientJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * An inbound parse route ({@code /v3/REST/parseroute}): mail to {@link #email()} is posted to {@link #url()}.
 * The URL may carry Basic credentials; {@link #toString()} hides them.
 *
 * @param id the route id
 * @param email the receiving address; empty for the account's random {@code parse-in1.mailjet.com} address
 * @param url the webhook URL as Mailjet stores it
 * @param apiKeyId the id of the API key owning the route, 0 if not given
 */
public record MailjetParseRoute(long id, String email, String url, long apiKeyId) {

    /** Validates that nothing is null. */
    public MailjetParseRoute {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(url, "url");
    }

    static MailjetParseRoute from(JsonNode n) {
        long apiKey = number(n, "APIKeyID");
        return new MailjetParseRoute(number(n, "ID"), text(n, "Email"), text(n, "Url"),
                apiKey != 0 ? apiKey : number(n, "APIKey"));
    }

    /**
     * @param url a URL
     * @return it with any user-info replaced by {@code ****}
     */
    static String redact(String url) {
        return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@?#]*@", "$1****@");
    }

    @Override
    public String toString() {
        return "MailjetParseRoute[id=" + id + ", email=" + email + ", url=" + redact(url) + ", apiKeyId=" + apiKeyId + "]";
    }
}
