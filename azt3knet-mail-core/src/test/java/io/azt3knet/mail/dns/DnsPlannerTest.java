package io.azt3knet.mail.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.provisioning.DomainRequirements;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DnsPlannerTest {

    private static final String MAILJET = "include:spf.mailjet.com";
    private static final DnsRecordSet.Key APEX_TXT = new DnsRecordSet.Key("", "TXT");

    private static DesiredDns spfOnly(String defaultAll) {
        return new DesiredDns("example.org", List.of(), List.of(MAILJET), defaultAll, 3600);
    }

    private static DnsChange apexTxt(DnsPlan plan) {
        return plan.changes().stream().filter(c -> c.key().equals(APEX_TXT)).findFirst().orElseThrow();
    }

    @Test
    void withoutSpfRecordOneIsAddedBesideTheOtherTxt() {
        DnsPlan plan = DnsPlanner.plan(spfOnly("~all"), List.of(DnsRecordSet.of("", "TXT", 3600, "hello")), 3600);

        assertThat(apexTxt(plan).action()).isEqualTo(DnsChange.Action.UPDATE);
        assertThat(apexTxt(plan).after().records()).containsExactly("hello", "v=spf1 include:spf.mailjet.com ~all");
    }

    @ParameterizedTest
    @CsvSource({
            "v=spf1 mx -all, v=spf1 mx include:spf.mailjet.com -all",
            "v=spf1 mx ~all, v=spf1 mx include:spf.mailjet.com ~all",
            "v=spf1 ip4:192.0.2.0/24 ?all, v=spf1 ip4:192.0.2.0/24 include:spf.mailjet.com ?all",
            "v=spf1 a redirect=_spf.example.net, v=spf1 a include:spf.mailjet.com redirect=_spf.example.net",
            "v=spf1 mx, v=spf1 mx include:spf.mailjet.com",
            "v=spf1 -all exp=explain.example.org, v=spf1 include:spf.mailjet.com -all exp=explain.example.org",
            "V=SPF1 MX -ALL, v=spf1 MX include:spf.mailjet.com -ALL"
    })
    void mechanismIsInsertedBeforeTheAllTermWhoseQualifierIsKept(String existing, String merged) {
        DnsPlan plan = DnsPlanner.plan(spfOnly("~all"), List.of(DnsRecordSet.of("", "TXT", 3600, existing)), 3600);

        assertThat(apexTxt(plan).action()).isEqualTo(DnsChange.Action.UPDATE);
        assertThat(apexTxt(plan).after().records()).containsExactly(merged);
        assertThat(apexTxt(plan).before().orElseThrow().records()).containsExactly(existing);
    }

    @ParameterizedTest
    @CsvSource({"v=spf1 include:spf.mailjet.com -all", "v=spf1  +INCLUDE:spf.mailjet.com   ~all", "v=spf1 mx include:spf.mailjet.com"})
    void spfThatAlreadyHasTheMechanismIsLeftByteForByte(String existing) {
        DnsPlan plan = DnsPlanner.plan(spfOnly("-all"), List.of(DnsRecordSet.of("", "TXT", 3600, existing, "other")), 3600);

        assertThat(apexTxt(plan).action()).isEqualTo(DnsChange.Action.UNCHANGED);
        assertThat(apexTxt(plan).after().records()).containsExactly(existing, "other");
        assertThat(plan.hasChanges()).isFalse();
    }

    @Test
    void twoSpfRecordsBecomeOneInThePlaceOfTheFirstEvenWhenBothHaveTheMechanism() {
        DnsRecordSet live = DnsRecordSet.of("", "TXT", 3600, "a", "v=spf1 include:spf.mailjet.com mx -all", "b",
                "v=spf1 include:spf.mailjet.com ip6:2001:db8::/32 ~all");

        DnsPlan plan = DnsPlanner.plan(spfOnly("~all"), List.of(live), 3600);

        assertThat(apexTxt(plan).after().records())
                .containsExactly("a", "v=spf1 include:spf.mailjet.com mx ip6:2001:db8::/32 -all", "b");
    }

    @Test
    void noSpfAtAllCreatesTheApexTxtWithTheDefaultAll() {
        DnsPlan plan = DnsPlanner.plan(spfOnly("-all"), List.of(), 3600);

        assertThat(apexTxt(plan).action()).isEqualTo(DnsChange.Action.CREATE);
        assertThat(apexTxt(plan).after()).isEqualTo(DnsRecordSet.of("", "TXT", 3600, "v=spf1 include:spf.mailjet.com -all"));
    }

    @Test
    void mergedApexTxtKeepsItsTtlUnlessBelowTheMinimum() {
        DnsPlan plan = DnsPlanner.plan(spfOnly("~all"), List.of(DnsRecordSet.of("", "TXT", 300, "v=spf1 -all")), 3600);

        assertThat(apexTxt(plan).after().ttl()).isEqualTo(3600);
        assertThat(plan.notes()).containsExactly("TTL of @ TXT raised from 300 to 3600, the zone's minimum");
    }

    @Test
    void exactSetsCompareRecordsAsSetsAndTtlAfterRaising() {
        DesiredDns desired = new DesiredDns("example.org", List.of(
                DnsRecordSet.of("", "MX", 60, "10 a.example.net.", "20 b.example.net."),
                DnsRecordSet.of("_dmarc", "TXT", 3600, "v=DMARC1; p=none"),
                DnsRecordSet.of("mail", "A", 3600, "192.0.2.1")), List.of(), "~all", 3600);
        List<DnsRecordSet> live = List.of(
                DnsRecordSet.of("", "MX", 3600, "20 b.example.net.", "10 a.example.net."),
                DnsRecordSet.of("_dmarc", "TXT", 300, "v=DMARC1; p=none"),
                DnsRecordSet.of("www", "A", 3600, "192.0.2.2"));

        DnsPlan plan = DnsPlanner.plan(desired, live, 3600);

        assertThat(plan.changes()).extracting(c -> c.key().toString() + " " + c.action())
                .containsExactly("@ MX UNCHANGED", "_dmarc TXT UPDATE", "mail A CREATE");
        assertThat(plan.notes()).containsExactly("TTL of @ MX raised from 60 to 3600, the zone's minimum");
    }

    @Test
    void staleSetsAreThoseWhoseLiveStateDiffersFromThePlansBefore() {
        DesiredDns desired = new DesiredDns("example.org", List.of(
                DnsRecordSet.of("a", "TXT", 3600, "x"), DnsRecordSet.of("b", "TXT", 3600, "y"),
                DnsRecordSet.of("c", "TXT", 3600, "z")), List.of(), "~all", 3600);
        List<DnsRecordSet> live = List.of(DnsRecordSet.of("b", "TXT", 3600, "old"), DnsRecordSet.of("c", "TXT", 3600, "z"));
        DnsPlan plan = DnsPlanner.plan(desired, live, 3600);

        assertThat(DnsPlanner.staleSets(plan, live)).isEmpty();
        assertThat(DnsPlanner.staleSets(plan, List.of(DnsRecordSet.of("a", "TXT", 3600, "new"),
                DnsRecordSet.of("b", "TXT", 7200, "old")))).containsExactly(
                new DnsRecordSet.Key("a", "TXT"), new DnsRecordSet.Key("b", "TXT"), new DnsRecordSet.Key("c", "TXT"));
    }

    @Test
    void liveZoneWithADuplicateSetIsRefused() {
        List<DnsRecordSet> live = List.of(DnsRecordSet.of("", "TXT", 3600, "a"), DnsRecordSet.of("", "TXT", 3600, "b"));

        assertThatThrownBy(() -> DnsPlanner.plan(spfOnly("~all"), live, 3600))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("@ TXT");
    }

    @Test
    void forMailBuildsMxInPreferenceOrderDkimOwnershipDmarcAndMailHost() throws Exception {
        DomainRequirements req = new DomainRequirements("example.org", List.of("parse.mailjet.com", "backup.example.net"),
                MAILJET, new DomainRequirements.TxtRecord("mailjet._domainkey", "k=rsa; p=KEY"),
                Optional.of(new DomainRequirements.TxtRecord("mailjet._token", "tok")));
        MailDnsOptions options = MailDnsOptions.defaults().withTtl(900)
                .withDmarcPolicy(MailDnsOptions.DmarcPolicy.QUARANTINE)
                .withDmarcReports(MailboxAddress.parse("dmarc@example.org"))
                .withMailHostAddress((java.net.Inet4Address) java.net.InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, 4}))
                .withSpfDefaultAll("-all");

        DesiredDns d = DesiredDns.forMail(req, options);

        assertThat(d.recordSets()).containsExactly(
                DnsRecordSet.of("", "MX", 900, "10 parse.mailjet.com.", "20 backup.example.net."),
                DnsRecordSet.of("mailjet._domainkey", "TXT", 900, "k=rsa; p=KEY"),
                DnsRecordSet.of("mailjet._token", "TXT", 900, "tok"),
                DnsRecordSet.of("mail", "A", 900, "198.51.100.4"));
        assertThat(d.createIfAbsent()).containsExactly(
                DnsRecordSet.of("_dmarc", "TXT", 900, "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.org"));
        assertThat(d.spfMechanisms()).containsExactly(MAILJET);
        assertThat(d.spfDefaultAll()).isEqualTo("-all");
    }

    @Test
    void forMailDefaultsToDmarcNoneAndSoftFail() {
        DomainRequirements req = new DomainRequirements("example.org", List.of("parse.mailjet.com"), MAILJET,
                new DomainRequirements.TxtRecord("s._domainkey", "k"), Optional.empty());

        DesiredDns d = DesiredDns.forMail(req, MailDnsOptions.defaults());

        assertThat(d.createIfAbsent()).containsExactly(DnsRecordSet.of("_dmarc", "TXT", 3600, "v=DMARC1; p=none"));
        assertThat(d.recordSets()).extracting(DnsRecordSet::key).doesNotContain(new DnsRecordSet.Key("mail", "A"));
        assertThat(d.spfDefaultAll()).isEqualTo("~all");
    }

    @Test
    void forMailRefusesAnOwnershipRecordAtTheApex() {
        DomainRequirements req = new DomainRequirements("example.org", List.of("parse.mailjet.com"), MAILJET,
                new DomainRequirements.TxtRecord("s._domainkey", "k"),
                Optional.of(new DomainRequirements.TxtRecord("", "token")));

        assertThatThrownBy(() -> DesiredDns.forMail(req, MailDnsOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apex");
    }

    @Test
    void forMailWithEnforcedDmarcManagesItAsAnExactSet() {
        DomainRequirements req = new DomainRequirements("example.org", List.of("parse.mailjet.com"), MAILJET,
                new DomainRequirements.TxtRecord("s._domainkey", "k"), Optional.empty());

        DesiredDns d = DesiredDns.forMail(req, MailDnsOptions.defaults()
                .withDmarcPolicy(MailDnsOptions.DmarcPolicy.REJECT).withDmarcEnforced(true));

        assertThat(d.recordSets()).contains(DnsRecordSet.of("_dmarc", "TXT", 3600, "v=DMARC1; p=reject"));
        assertThat(d.createIfAbsent()).isEmpty();
    }

    @Test
    void createIfAbsentSetIsCreatedWhenMissingWithItsTtlRaised() {
        DesiredDns desired = new DesiredDns("example.org", List.of(),
                List.of(DnsRecordSet.of("_dmarc", "TXT", 300, "v=DMARC1; p=none")), List.of(), "~all", 3600);

        DnsPlan plan = DnsPlanner.plan(desired, List.of(), 3600);

        assertThat(plan.changes()).singleElement().satisfies(c -> {
            assertThat(c.action()).isEqualTo(DnsChange.Action.CREATE);
            assertThat(c.after()).isEqualTo(DnsRecordSet.of("_dmarc", "TXT", 3600, "v=DMARC1; p=none"));
        });
        assertThat(plan.notes()).containsExactly("TTL of _dmarc TXT raised from 300 to 3600, the zone's minimum");
    }

    @Test
    void existingCreateIfAbsentSetIsKeptWhateverItHoldsAndTheDifferenceIsNoted() {
        DesiredDns desired = new DesiredDns("example.org", List.of(),
                List.of(DnsRecordSet.of("_dmarc", "TXT", 3600, "v=DMARC1; p=none")), List.of(), "~all", 3600);
        DnsRecordSet strict = DnsRecordSet.of("_dmarc", "TXT", 300, "v=DMARC1; p=reject; rua=mailto:d@example.org");

        DnsPlan plan = DnsPlanner.plan(desired, List.of(strict), 3600);

        assertThat(plan.hasChanges()).isFalse();
        assertThat(plan.changes()).singleElement().satisfies(c -> {
            assertThat(c.action()).isEqualTo(DnsChange.Action.UNCHANGED);
            assertThat(c.before()).contains(strict);
            assertThat(c.after()).isEqualTo(strict);
        });
        assertThat(plan.notes()).singleElement().satisfies(n -> assertThat(n)
                .startsWith("kept the existing _dmarc TXT [v=DMARC1; p=reject; rua=mailto:d@example.org]"));
        assertThat(DnsPlanner.plan(desired, List.of(DnsRecordSet.of("_dmarc", "TXT", 7200, "v=DMARC1; p=none")), 3600)
                .notes()).isEmpty();
    }

    @Test
    void aSetDesiredBothExactlyAndIfAbsentIsRefused() {
        DnsRecordSet dmarc = DnsRecordSet.of("_dmarc", "TXT", 3600, "v=DMARC1; p=none");

        assertThatThrownBy(() -> new DesiredDns("example.org", List.of(dmarc), List.of(dmarc.withTtl(60)), List.of(),
                "~all", 3600)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> new DesiredDns("example.org", List.of(),
                List.of(DnsRecordSet.of("", "TXT", 3600, "hello")), List.of(MAILJET), "~all", 3600))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SPF merge");
    }

    private static DesiredDns mail(MailDnsOptions options) {
        return DesiredDns.forMail(new DomainRequirements("example.org", List.of("parse.mailjet.com"), MAILJET,
                new DomainRequirements.TxtRecord("mailjet._domainkey", "k=rsa; p=KEY"), Optional.empty()), options);
    }

    private static DnsChange change(DnsPlan plan, String subname, String type) {
        return plan.changes().stream().filter(c -> c.key().equals(new DnsRecordSet.Key(subname, type)))
                .findFirst().orElseThrow();
    }

    @Test
    void aForeignMxAtTheApexIsAConflictNotAnUpdate() {
        DnsRecordSet human = DnsRecordSet.of("", "MX", 3600, "10 aspmx.l.google.com.", "20 parse.mailjet.com.");

        DnsPlan plan = DnsPlanner.plan(mail(MailDnsOptions.defaults()), List.of(human), 3600);

        assertThat(change(plan, "", "MX").action()).isEqualTo(DnsChange.Action.CONFLICT);
        assertThat(change(plan, "", "MX").before()).contains(human);
        assertThat(plan.hasConflicts()).isTrue();
        assertThat(plan.writes()).extracting(DnsChange::key).doesNotContain(new DnsRecordSet.Key("", "MX"));
        assertThat(plan.notes()).anySatisfy(n -> assertThat(n).startsWith("conflict: ")
                .contains("aspmx.l.google.com").contains("--replace-mx"));
        assertThat(plan.render()).contains("CONFLICT").contains("live:").contains("refused");
        assertThatThrownBy(() -> InMemoryDnsManager.create().apply(plan))
                .isInstanceOf(io.azt3knet.mail.DnsConflictException.class).hasMessageContaining("aspmx.l.google.com");
    }

    @Test
    void theMxIsReplacedWhenAskedAndUpdatedFreelyWhenItNamesOnlyTheProvidersHosts() {
        DnsRecordSet human = DnsRecordSet.of("", "MX", 3600, "10 aspmx.l.google.com.");
        DnsRecordSet ours = DnsRecordSet.of("", "MX", 3600, "50 PARSE.mailjet.com");

        DnsPlan replaced = DnsPlanner.plan(mail(MailDnsOptions.defaults().withReplaceMx(true)), List.of(human), 3600);
        DnsPlan reprioritised = DnsPlanner.plan(mail(MailDnsOptions.defaults()), List.of(ours), 3600);

        assertThat(change(replaced, "", "MX").action()).isEqualTo(DnsChange.Action.UPDATE);
        assertThat(change(replaced, "", "MX").after().records()).containsExactly("10 parse.mailjet.com.");
        assertThat(replaced.hasConflicts()).isFalse();
        assertThat(change(reprioritised, "", "MX").action()).isEqualTo(DnsChange.Action.UPDATE);
        assertThat(reprioritised.hasConflicts()).isFalse();
    }

    @Test
    void aCnameAtAnyManagedNameIsAConflictBeforeAnyWrite() {
        for (String name : List.of("_dmarc", "mailjet._domainkey")) {
            DnsRecordSet cname = DnsRecordSet.of(name, "CNAME", 3600, "vendor.example.net.");

            DnsPlan plan = DnsPlanner.plan(mail(MailDnsOptions.defaults()), List.of(cname), 3600);

            assertThat(change(plan, name, "TXT").action()).as(name).isEqualTo(DnsChange.Action.CONFLICT);
            assertThat(plan.notes()).as(name).anySatisfy(n -> assertThat(n).contains("CNAME").contains(name));
        }
    }
}
