package io.azt3knet.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.provisioning.DomainRequirements.TxtRecord;
import io.azt3knet.mail.provisioning.Mailbox;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import java.net.URI;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {

    @Test
    void addressesParseAndLowerCaseTheDomain() {
        MailboxAddress a = MailboxAddress.parse("jane.doe.123.20241005123045@Agents.Example.ORG");
        assertThat(a.localPart()).isEqualTo("jane.doe.123.20241005123045");
        assertThat(a.domain()).isEqualTo("agents.example.org");
        assertThat(a).hasToString("jane.doe.123.20241005123045@agents.example.org");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nBcc: x@y.org@example.org", "a/b@example.org", "\"a\"@example.org", "a b@example.org",
            "a..b@example.org", ".a@example.org", "a@exa_mple.org", "a@-example.org", "@example.org", "a@",
            "x@example..org"})
    void addressesThatCouldInjectOrAreInvalidAreRefused(String text) {
        assertThatThrownBy(() -> MailboxAddress.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("\r").doesNotContain("\n");
    }

    @Test
    void theLocalPartIsLimitedTo64Characters() {
        assertThat(new MailboxAddress("a".repeat(64), "example.org").localPart()).hasSize(64);
        assertThatThrownBy(() -> new MailboxAddress("a".repeat(65), "example.org"))
                .hasMessageContaining("1 to 64");
    }

    /**
     * The validation scans by hand; the rule is the dot-atom and host-name grammar written as regular expressions
     * here. Random texts over an alphabet of every kind of character at every position must get the same verdict.
     */
    @Test
    void acceptsExactlyTheDotAtomLocalPartsAndHostNameDomainsOfTheGrammar() {
        Pattern dotAtom = Pattern.compile("[A-Za-z0-9!#$%&'*+=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+=?^_`{|}~-]+)*");
        Pattern hostName = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
        String alphabet = "aZ09.-_~'/@ \"\r\u00e9\u0430";
        SplittableRandom random = new SplittableRandom(7);
        int accepted = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder local = new StringBuilder();
            StringBuilder domain = new StringBuilder();
            for (int i = random.nextInt(1, 8); i > 0; i--) {
                local.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            for (int i = random.nextInt(1, 8); i > 0; i--) {
                domain.append("a-0.z._".charAt(random.nextInt(7)));
            }
            if (random.nextInt(50) == 0) {
                domain.append("a".repeat(random.nextInt(60, 66)));
            }
            String l = local.toString();
            String d = domain.toString().toLowerCase(java.util.Locale.ROOT);
            boolean expected = dotAtom.matcher(l).matches() && hostName.matcher(d).matches();
            boolean actual;
            try {
                new MailboxAddress(l, d);
                actual = true;
            } catch (IllegalArgumentException e) {
                actual = false;
            }
            assertThat(actual).as("'%s'@'%s'", l, d).isEqualTo(expected);
            accepted += actual ? 1 : 0;
        }
        assertThat(accepted).as("both verdicts occur").isBetween(200, 19_800);
    }

    @Test
    void credentialsNeverPrintThePasswordOrTheRouteCredentials() {
        MailboxCredentials c = new MailboxCredentials(MailboxAddress.parse("a.b.1.2@example.org"), "A B",
                "in-v3.mailjet.com", 587, "apikey", Secret.of("topsecret"), "42",
                URI.create("https://mailjet:hooksecret@hooks.example.org/mailjet/inbound"));
        assertThat(c.toString()).doesNotContain("topsecret").doesNotContain("hooksecret")
                .contains("routeUrl=https://hooks.example.org/mailjet/inbound");
        assertThat(c.routeUrl()).isEqualTo(URI.create("https://hooks.example.org/mailjet/inbound"));
        assertThat(c.mailbox().toString()).doesNotContain("hooksecret");
        assertThat(Mailbox.withoutCredentials(URI.create("https://h.example/x"))).isEqualTo(URI.create("https://h.example/x"));
    }

    @Test
    void txtRecordNamesAreRelativizedWhetherRelativeOrFullyQualified() {
        assertThat(TxtRecord.relativize("mailjet._domainkey.example.org.", "example.org")).isEqualTo("mailjet._domainkey");
        assertThat(TxtRecord.relativize("mailjet._domainkey.Example.org", "example.org")).isEqualTo("mailjet._domainkey");
        assertThat(TxtRecord.relativize("mailjet._domainkey", "example.org")).isEqualTo("mailjet._domainkey");
        assertThat(TxtRecord.relativize("example.org", "example.org")).isEmpty();
    }

    @Test
    void exceptionsCarryTheirFacts() {
        ProviderServiceException e = ProviderServiceException.builder("mailjet", "POST /v3/REST/parseroute", 500)
                .message("Internal error").requestId("0f6a-guid").build();
        assertThat(e).hasMessage("mailjet answered 500 to POST /v3/REST/parseroute: Internal error (request id 0f6a-guid)");
        assertThat(e.isRetryable()).isTrue();
        assertThat(new ConfigurationException(java.util.List.of("A is required", "B is bad")).getMessage())
                .isEqualTo("Invalid configuration (2 problems):\n  - A is required\n  - B is bad");
    }
}
