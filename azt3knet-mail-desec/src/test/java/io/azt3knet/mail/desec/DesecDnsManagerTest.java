package io.azt3knet.mail.desec;

import io.azt3knet.mail.test.fake.FakeDesec;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.dns.DesiredDns;
import io.azt3knet.mail.dns.DnsChange;
import io.azt3knet.mail.dns.DnsPlan;
import io.azt3knet.mail.dns.DnsRecordSet;
import io.azt3knet.mail.dns.MailDnsOptions;
import io.azt3knet.mail.provisioning.DomainRequirements;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** deSEC-specific behaviour of {@link DesecDnsManager} on the fake deSEC: wire form, SPF merge, minimum TTL. */
class DesecDnsManagerTest {

    private static final String DOMAIN = "agents.example.org";
    private static final String RRSETS = "/api/v1/domains/" + DOMAIN + "/rrsets/";

    private WireMockServer server;
    private FakeDesec fake;
    private DesecDnsManager dns;

    private void start(int minimumTtl) {
        fake = new FakeDesec(DOMAIN, minimumTtl);
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
        dns = DesecDnsManager.builder(DesecSettings.builder(DOMAIN, Secret.of(FakeDesec.TOKEN))
                .apiUrl(URI.create("http://127.0.0.1:" + server.port() + "/api/v1")).build()).build();
    }

    @AfterEach
    void stop() {
        dns.close();
        server.stop();
    }

    private static DomainRequirements mailjet() {
        return new DomainRequirements(DOMAIN, List.of("parse.mailjet.com"), "include:spf.mailjet.com",
                new DomainRequirements.TxtRecord("mailjet._domainkey", "k=rsa; p=" + "K".repeat(380)),
                Optional.of(new DomainRequirements.TxtRecord("mailjet._ab12", "ab12cd34")));
    }

    private List<String> storedWire(String subname, String type) {
        return StreamSupport.stream(fake.stored(subname, type).get("records").spliterator(), false)
                .map(n -> n.asText()).toList();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "v=spf1 mx -all | \"v=spf1 mx include:spf.mailjet.com -all\"",
            "v=spf1 a ~all | \"v=spf1 a include:spf.mailjet.com ~all\"",
            "v=spf1 ip4:192.0.2.0/24 ?all | \"v=spf1 ip4:192.0.2.0/24 include:spf.mailjet.com ?all\""
    })
    void existingSpfWithoutMailjetGetsTheIncludeAndKeepsItsQualifier(String existing, String wire) {
        start(3600);
        fake.seed(DnsRecordSet.of("", "TXT", 3600, existing, "google-site-verification=xyz"));

        dns.apply(dns.plan(DesiredDns.forMail(mailjet(), MailDnsOptions.defaults())));

        assertThat(storedWire("", "TXT")).containsExactlyInAnyOrder(wire, "\"google-site-verification=xyz\"");
    }

    @Test
    void unmanagedApexTxtRecordsKeepTheirExactPresentationWhenSpfIsMerged() {
        start(3600);
        List<String> foreign = List.of("\"part one\" \"part two\"", "\"\\200\\377 raw bytes\"",
                "\"short\" \"strings\" \"kept\"");
        List<String> wire = new java.util.ArrayList<>(foreign);
        wire.add("\"v=spf1 mx -all\"");
        fake.seedWire("", "TXT", 3600, wire);

        dns.apply(dns.plan(DesiredDns.forMail(mailjet(), MailDnsOptions.defaults())));

        assertThat(storedWire("", "TXT")).containsAll(foreign)
                .contains("\"v=spf1 mx include:spf.mailjet.com -all\"").hasSize(4);
    }

    @Test
    void aForeignMxOrACnameAtAManagedNameIsRefusedBeforeAnyWrite() {
        start(3600);
        fake.seed(DnsRecordSet.of("", "MX", 3600, "10 mx.human-provider.example."));
        fake.seed(DnsRecordSet.of("_dmarc", "CNAME", 3600, "dmarc.vendor.example."));

        DnsPlan plan = dns.plan(DesiredDns.forMail(mailjet(), MailDnsOptions.defaults()));

        assertThat(plan.conflicts()).extracting(DnsChange::key).containsExactlyInAnyOrder(
                new DnsRecordSet.Key("", "MX"), new DnsRecordSet.Key("_dmarc", "TXT"));
        assertThatThrownBy(() -> dns.apply(plan)).isInstanceOf(io.azt3knet.mail.DnsConflictException.class)
                .hasMessageContaining("mx.human-provider.example").hasMessageContaining("CNAME");
        assertThat(fake.writes()).isZero();
        server.verify(0, patchRequestedFor(urlPathEqualTo(RRSETS)));
    }

    @Test
    void withoutSpfOneIsCreatedWithTheDefaultAll() {
        start(3600);

        dns.apply(dns.plan(DesiredDns.forMail(mailjet(), MailDnsOptions.defaults().withSpfDefaultAll("-all"))));

        assertThat(storedWire("", "TXT")).containsExactly("\"v=spf1 include:spf.mailjet.com -all\"");
    }

    @Test
    void spfThatAlreadyIncludesMailjetIsNotWritten() {
        start(3600);
        DesiredDns desired = DesiredDns.forMail(mailjet(), MailDnsOptions.defaults());
        dns.apply(dns.plan(desired));
        fake.seed(DnsRecordSet.of("", "TXT", 3600, "v=spf1 mx include:spf.mailjet.com -all"));

        DnsPlan plan = dns.plan(desired);

        assertThat(plan.hasChanges()).as(plan.render()).isFalse();
        assertThat(dns.apply(plan).written()).isFalse();
        assertThat(fake.writes()).isEqualTo(1);
    }

    @Test
    void splitDkimValueReadBackFromDesecIsNotAChange() {
        start(3600);
        DesiredDns desired = DesiredDns.forMail(mailjet(), MailDnsOptions.defaults());
        dns.apply(dns.plan(desired));

        assertThat(storedWire("mailjet._domainkey", "TXT")).singleElement()
                .satisfies(w -> assertThat(w).startsWith("\"k=rsa; p=KKK").contains("\" \""));
        assertThat(dns.plan(desired).hasChanges()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {60, 3600})
    void ttlIsTheDomainsMinimumWhenMoreWasNotAskedAndNeverBelowIt(int minimumTtl) {
        start(minimumTtl);

        DnsPlan plan = dns.plan(DesiredDns.forMail(mailjet(), MailDnsOptions.defaults().withTtl(300)));
        dns.apply(plan);

        int expected = Math.max(300, minimumTtl);
        assertThat(fake.stored("", "MX").get("ttl").asInt()).isEqualTo(expected);
        assertThat(fake.stored("_dmarc", "TXT").get("ttl").asInt()).isEqualTo(expected);
        assertThat(plan.notes()).hasSize(minimumTtl > 300 ? plan.writes().size() : 0);
    }

    @Test
    void planAndApplyUseOneBulkPatchWithOnlyTheManagedSets() throws Exception {
        start(3600);
        fake.seed(DnsRecordSet.of("www", "A", 3600, "192.0.2.5"));
        Inet4Address mailHost = (Inet4Address) InetAddress.getByName("203.0.113.9");

        DnsPlan plan = dns.plan(DesiredDns.forMail(mailjet(), MailDnsOptions.defaults().withMailHostAddress(mailHost)));
        dns.apply(plan);

        server.verify(1, patchRequestedFor(urlPathEqualTo(RRSETS)));
        assertThat(plan.changes()).extracting(DnsChange::key).containsExactlyInAnyOrder(
                new DnsRecordSet.Key("", "MX"), new DnsRecordSet.Key("mailjet._domainkey", "TXT"),
                new DnsRecordSet.Key("mailjet._ab12", "TXT"), new DnsRecordSet.Key("_dmarc", "TXT"),
                new DnsRecordSet.Key("mail", "A"), new DnsRecordSet.Key("", "TXT"));
        assertThat(storedWire("mail", "A")).containsExactly("203.0.113.9");
        assertThat(storedWire("", "MX")).containsExactly("10 parse.mailjet.com.");
        assertThat(storedWire("www", "A")).containsExactly("192.0.2.5");
        assertThat(storedWire("", "NS")).containsExactly("ns1.desec.io.", "ns2.desec.org.");
    }

    @Test
    void recordSetDesecRefusesIsNamedAndNothingIsWritten() throws Exception {
        start(3600);
        Inet4Address blocked = (Inet4Address) InetAddress.getByName("10.1.2.3");

        assertThatThrownBy(() -> dns.apply(dns.plan(DesiredDns.forMail(mailjet(),
                MailDnsOptions.defaults().withMailHostAddress(blocked)))))
                .isInstanceOfSatisfying(DesecValidationException.class, e -> assertThat(e.errors())
                        .containsExactly(new DesecValidationException.RRsetError(new DnsRecordSet.Key("mail", "A"),
                                "records: IP address 10.1.2.3 not allowed.")));
        assertThat(fake.stored("", "MX")).isNull();
    }
}
