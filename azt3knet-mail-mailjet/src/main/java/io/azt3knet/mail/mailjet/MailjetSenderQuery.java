package io.azt3knet.mail.mailjet;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Filters for listing senders; each sets one of Mailjet's query parameters. Immutable.
 *
 * <pre>{@code
 * client.listSenders(MailjetSenderQuery.all().email("*@agents.example.org"));
 * }</pre>
 *
 * @param filters the query parameters
 */
public record MailjetSenderQuery(Map<String, String> filters) {

    /** Copies the filters. */
    public MailjetSenderQuery {
        filters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(filters));
    }

    /** @return no filter: every sender that is not deleted */
    public static MailjetSenderQuery all() {
        return new MailjetSenderQuery(Map.of());
    }

    /**
     * @param email an address or {@code *@domain}
     * @return a copy filtered on {@code Email}
     */
    public MailjetSenderQuery email(String email) {
        return with("Email", email);
    }

    /**
     * @param domain a domain
     * @return a copy filtered on {@code Domain}
     */
    public MailjetSenderQuery domain(String domain) {
        return with("Domain", domain);
    }

    /**
     * @param status {@code Active}, {@code Inactive} or {@code Deleted}
     * @return a copy filtered on {@code Status}
     */
    public MailjetSenderQuery status(String status) {
        return with("Status", status);
    }

    /**
     * @param dnsId a dns id
     * @return a copy filtered on {@code DnsID} (the filter's spelling differs from the field's)
     */
    public MailjetSenderQuery dnsId(long dnsId) {
        return with("DnsID", Long.toString(dnsId));
    }

    /** @return a copy that lists deleted senders too */
    public MailjetSenderQuery showDeleted() {
        return with("ShowDeleted", "true");
    }

    private MailjetSenderQuery with(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(filters);
        copy.put(name, Objects.requireNonNull(value, name));
        return new MailjetSenderQuery(copy);
    }
}
