package io.azt3knet.mail.mailjet;

import static io.azt3knet.mail.mailjet.internal.LenientJson.strings;
import static io.azt3knet.mail.mailjet.internal.LenientJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * The result of {@code POST /v3/REST/dns/{id}/check}: what Mailjet found in the live DNS, in its own words.
 *
 * @param dkimStatus {@code OK}, {@code Error}, {@code Not checked}
 * @param dkimErrors Mailjet's DKIM error strings, e.g. {@code "no DKIM record"}
 * @param dkimRecordCurrentValue the DKIM value found, may be empty
 * @param spfStatus {@code OK}, {@code Error}, {@code Not checked}, {@code Not found}
 * @param spfErrors Mailjet's SPF error strings
 * @param spfRecordsCurrentValues the SPF records found
 */
public record MailjetDnsCheck(String dkimStatus, List<String> dkimErrors, String dkimRecordCurrentValue,
        String spfStatus, List<String> spfErrors, List<String> spfRecordsCurrentValues) {

    /** Validates that nothing is null. */
    public MailjetDnsCheck {
        Objects.requireNonNull(dkimStatus, "dkimStatus");
        dkimErrors = List.copyOf(dkimErrors);
        Objects.requireNonNull(dkimRecordCurrentValue, "dkimRecordCurrentValue");
        Objects.requireNonNull(spfStatus, "spfStatus");
        spfErrors = List.copyOf(spfErrors);
        spfRecordsCurrentValues = List.copyOf(spfRecordsCurrentValues);
    }

    static MailjetDnsCheck from(JsonNode n) {
        // field names as in Mailjet's docs and Java SDK; the Node typings' singular SPFRecordCurrentValue is wrong
        return new MailjetDnsCheck(text(n, "DKIMStatus"), strings(n, "DKIMErrors"), text(n, "DKIMRecordCurrentValue"),
                text(n, "SPFStatus"), strings(n, "SPFErrors"), strings(n, "SPFRecordsCurrentValues"));
    }
}
