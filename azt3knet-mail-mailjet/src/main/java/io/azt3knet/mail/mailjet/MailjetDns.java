package io.azt3knet.mail.mailjet;

import static io.azt3knet.mail.mailjet.internal.LenientJson.bool;
import static io.azt3knet.mail.mailjet.internal.LenientJson.number;
import static io.azt3knet.mail.mailjet.internal.LenientJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A domain's {@code dns} entry at Mailjet: what to publish and the last check's status. Read-only; Mailjet
 * creates it with the domain's first sender. Names are as Mailjet gives them (relative or fully qualified).
 *
 * @param id the dns id
 * @param domain the domain
 * @param dkimRecordName the DKIM TXT name, e.g. {@code mailjet._domainkey.example.org}
 * @param dkimRecordValue the DKIM TXT value, {@code k=rsa; p=...}
 * @param dkimStatus {@code Not checked}, {@code OK} or {@code Error}
 * @param spfRecordValue Mailjet's default SPF record (merge its include into an existing one)
 * @param spfStatus {@code Not checked}, {@code OK}, {@code Error} or {@code Not found}
 * @param ownershipToken the ownership TXT value, may be empty
 * @param ownershipTokenRecordName the ownership TXT name, a label or fully qualified, may be empty
 * @param checkInProgress whether Mailjet is checking the DNS right now
 */
public record MailjetDns(long id, String domain, String dkimRecordName, String dkimRecordValue, String dkimStatus,
        String spfRecordValue, String spfStatus, String ownershipToken, String ownershipTokenRecordName,
        boolean checkInProgress) {

    /** Validates that nothing is null. */
    public MailjetDns {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(dkimRecordName, "dkimRecordName");
        Objects.requireNonNull(dkimRecordValue, "dkimRecordValue");
        Objects.requireNonNull(dkimStatus, "dkimStatus");
        Objects.requireNonNull(spfRecordValue, "spfRecordValue");
        Objects.requireNonNull(spfStatus, "spfStatus");
        Objects.requireNonNull(ownershipToken, "ownershipToken");
        Objects.requireNonNull(ownershipTokenRecordName, "ownershipTokenRecordName");
    }

    static MailjetDns from(JsonNode n) {
        return new MailjetDns(number(n, "ID"), text(n, "Domain"), text(n, "DKIMRecordName"),
                text(n, "DKIMRecordValue"), text(n, "DKIMStatus"), text(n, "SPFRecordValue"), text(n, "SPFStatus"),
                text(n, "OwnerShipToken"), text(n, "OwnerShipTokenRecordName"), bool(n, "IsCheckInProgress"));
    }
}
