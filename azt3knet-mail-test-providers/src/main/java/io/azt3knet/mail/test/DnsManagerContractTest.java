package io.azt3knet.mail.test;

import io.azt3knet.mail.dns.DesiredDns;
import io.azt3knet.mail.dns.DnsApplyReport;
import io.azt3knet.mail.dns.DnsChange;
import io.azt3knet.mail.dns.DnsManager;
import io.azt3knet.mail.dns.DnsPlan;
import io.azt3knet.mail.dns.DnsRecordSet;
import io.azt3knet.mail.dns.MailDnsOptions;

import io.azt3knet.mail.StalePlanException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.provisioning.DomainRequirements;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link DnsManager} must have, in the style of Micrometer's compatibility kit: extend
 * this class in an implementation's tests, create the manager under test, and give the kit a way to change
 * the live zone behind the manager's back and to count the write requests it made.
 *
 * <pre>{@code
 * class InMemoryDnsManagerContractTest extends DnsManagerContractTest {
 *     private InMemoryDnsManager dns;
 *     protected DnsManager createManager(String domain, int minimumTtl) {
 *         return dns = InMemoryDnsManager.builder().minimumTtl(minimumTtl).build();
 *     }
 *     protected void seedZone(List<DnsRecordSet> sets) { dns.seed(domain(), sets); }
 *     protected long writeRequests() { return dns.writeRequests(); }
 * }
 * }</pre>
 */
public abstract class DnsManagerContractTest {

    /** A DKIM public key as long as a real 2048-bit one, so that providers that split long TXT values must join them. */
    protected static final String DKIM_VALUE = "k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"
            + "q".repeat(300) + "IDAQAB";

    private DnsManager manager;

    /**
     * Creates the manager under test, serving one zone that exists and is empty.
     *
     * @param domain the zone, {@link #domain()}
     * @param minimumTtl the zone's minimum TTL, {@link #minimumTtl()}
     * @return the manager
     */
    protected abstract DnsManager createManager(String domain, int minimumTtl);

    /**
     * Puts record sets into the live zone without going through the manager (and without counting a write):
     * the zone before the library touches it, or someone else's change.
     *
     * @param sets record sets to create or replace
     */
    protected abstract void seedZone(List<DnsRecordSet> sets);

    /** @return how many write requests the manager has sent to the provider so far */
    protected abstract long writeRequests();

    /** @return the zone the tests manage */
    protected String domain() {
        return "agents.example.org";
    }

    /** @return the zone's minimum TTL */
    protected int minimumTtl() {
        return 3600;
    }

    /** @return the manager under test */
    protected DnsManager manager() {
        return manager;
    }

    @BeforeEach
    public void createManagerUnderTest() {
        manager = createManager(domain(), minimumTtl());
    }

    @AfterEach
    public void closeManagerUnderTest() {
        manager.close();
    }

    /** @return what a mail provider asks for */
    protected DomainRequirements requirements() {
        return new DomainRequirements(domain(), List.of("parse.mailjet.com", "parse2.mailjet.com"),
                "include:spf.mailjet.com", new DomainRequirements.TxtRecord("mailjet._domainkey", DKIM_VALUE),
                Optional.of(new DomainRequirements.TxtRecord("mailjet._a1b2c3d4", "a1b2c3d4e5f60718293a4b5c6d7e8f90")));
    }

    /** @return the mail DNS with default options */
    protected DesiredDns desired() {
        return DesiredDns.forMail(requirements(), MailDnsOptions.defaults());
    }

    private Map<DnsRecordSet.Key, DnsRecordSet> live() {
        return manager.recordSets(domain()).stream().collect(Collectors.toMap(DnsRecordSet::key, Function.identity()));
    }

    private static DnsRecordSet.Key key(String subname, String type) {
        return new DnsRecordSet.Key(subname, type);
    }

    @Test
    public void planOnAnEmptyZoneCreatesEveryManagedSet() {
        DnsPlan plan = manager.plan(desired());

        assertThat(plan.changes()).extracting(DnsChange::key).containsExactlyInAnyOrder(
                key("", "MX"), key("mailjet._domainkey", "TXT"), key("mailjet._a1b2c3d4", "TXT"),
                key("_dmarc", "TXT"), key("", "TXT"));
        assertThat(plan.changes()).allSatisfy(c -> assertThat(c.action()).isEqualTo(DnsChange.Action.CREATE));
        DnsChange spf = plan.changes().stream().filter(c -> c.key().equals(key("", "TXT"))).findFirst().orElseThrow();
        assertThat(spf.after().records()).containsExactly("v=spf1 include:spf.mailjet.com ~all");
    }

    @Test
    public void planIsADryRunThatWritesNothing() {
        seedZone(List.of(DnsRecordSet.of("www", "A", 3600, "192.0.2.7")));

        manager.plan(desired());
        manager.plan(desired());

        assertThat(writeRequests()).isZero();
        assertThat(live()).doesNotContainKey(key("", "MX"));
    }

    @Test
    public void applyWritesOnceAndPlanningAgainFindsEverythingUnchanged() {
        DnsApplyReport result = manager.apply(manager.plan(desired()));

        assertThat(result.written()).isTrue();
        assertThat(writeRequests()).isEqualTo(1);
        DnsPlan again = manager.plan(desired());
        assertThat(again.hasChanges()).as(again.render()).isFalse();
        assertThat(again.changes()).allSatisfy(c -> assertThat(c.action()).isEqualTo(DnsChange.Action.UNCHANGED));
        Map<DnsRecordSet.Key, DnsRecordSet> live = live();
        assertThat(live.get(key("", "MX")).records()).containsExactlyInAnyOrder("10 parse.mailjet.com.", "20 parse2.mailjet.com.");
        assertThat(live.get(key("mailjet._domainkey", "TXT")).records()).containsExactly(DKIM_VALUE);
        assertThat(live.get(key("_dmarc", "TXT")).records()).containsExactly("v=DMARC1; p=none");
    }

    @Test
    public void applyingAPlanWithoutChangesMakesNoRequest() {
        manager.apply(manager.plan(desired()));
        long before = writeRequests();

        DnsApplyReport result = manager.apply(manager.plan(desired()));

        assertThat(result.written()).isFalse();
        assertThat(writeRequests()).isEqualTo(before);
    }

    @Test
    public void recordSetsTheLibraryDoesNotManageAreLeftAlone() {
        List<DnsRecordSet> foreign = List.of(
                DnsRecordSet.of("", "A", 3600, "192.0.2.1"),
                DnsRecordSet.of("www", "CNAME", 3600, "agents.example.org."),
                DnsRecordSet.of("_acme-challenge", "TXT", 3600, "token-123"),
                DnsRecordSet.of("old._domainkey", "TXT", 3600, "k=rsa; p=OLD"));
        seedZone(foreign);

        manager.apply(manager.plan(desired()));

        Map<DnsRecordSet.Key, DnsRecordSet> live = live();
        for (DnsRecordSet f : foreign) {
            assertThat(live.get(f.key())).as(f.key().toString()).satisfies(l -> {
                assertThat(l.ttl()).isEqualTo(f.ttl());
                assertThat(l.sameRecords(f)).isTrue();
            });
        }
    }

    @Test
    public void existingSpfIsMergedKeepingItsMechanismsItsAllAndTheOtherApexTxt() {
        String quoted = "note: \"quoted\" and back\\slash";
        seedZone(List.of(DnsRecordSet.of("", "TXT", 7200, "v=spf1 mx a:relay.example.org -all",
                "google-site-verification=abc123", quoted)));

        DnsPlan plan = manager.plan(desired());
        manager.apply(plan);

        DnsChange spf = plan.changes().stream().filter(c -> c.key().equals(key("", "TXT"))).findFirst().orElseThrow();
        assertThat(spf.action()).isEqualTo(DnsChange.Action.UPDATE);
        DnsRecordSet apexTxt = live().get(key("", "TXT"));
        assertThat(apexTxt.records()).containsExactlyInAnyOrder(
                "v=spf1 mx a:relay.example.org include:spf.mailjet.com -all", "google-site-verification=abc123", quoted);
        assertThat(apexTxt.ttl()).isEqualTo(7200);
    }

    @Test
    public void severalSpfRecordsAreMergedIntoOne() {
        seedZone(List.of(DnsRecordSet.of("", "TXT", 3600, "v=spf1 mx ~all", "v=spf1 ip4:192.0.2.0/24 -all")));

        manager.apply(manager.plan(desired()));

        assertThat(live().get(key("", "TXT")).records())
                .containsExactly("v=spf1 mx ip4:192.0.2.0/24 include:spf.mailjet.com ~all");
    }

    @Test
    public void spfThatAlreadyIncludesTheProviderIsUnchanged() {
        seedZone(List.of(DnsRecordSet.of("", "TXT", 3600, "v=spf1 include:spf.mailjet.com ?all")));

        DnsPlan plan = manager.plan(desired());

        assertThat(plan.changes()).filteredOn(c -> c.key().equals(key("", "TXT")))
                .singleElement().extracting(DnsChange::action).isEqualTo(DnsChange.Action.UNCHANGED);
    }

    @Test
    public void ttlBelowTheZoneMinimumIsRaisedAndNoted() {
        DesiredDns lowTtl = DesiredDns.forMail(requirements(), MailDnsOptions.defaults().withTtl(60));

        DnsPlan plan = manager.plan(lowTtl);
        manager.apply(plan);

        assertThat(plan.writes()).isNotEmpty().allSatisfy(c -> assertThat(c.after().ttl()).isEqualTo(minimumTtl()));
        assertThat(plan.notes()).anySatisfy(n -> assertThat(n).contains("60").contains(String.valueOf(minimumTtl())));
        assertThat(manager.plan(lowTtl).hasChanges()).isFalse();
    }

    @Test
    public void stalePlanIsRefusedAndNothingIsWritten() {
        DnsPlan plan = manager.plan(desired());
        DnsRecordSet someoneElses = DnsRecordSet.of("_dmarc", "TXT", 3600, "v=DMARC1; p=reject");
        seedZone(List.of(someoneElses));

        assertThatThrownBy(() -> manager.apply(plan))
                .isInstanceOfSatisfying(StalePlanException.class,
                        e -> assertThat(e.changedSets()).containsExactly(key("_dmarc", "TXT")));
        assertThat(writeRequests()).isZero();
        Map<DnsRecordSet.Key, DnsRecordSet> live = live();
        assertThat(live).doesNotContainKey(key("", "MX"));
        assertThat(live.get(key("_dmarc", "TXT")).records()).containsExactly("v=DMARC1; p=reject");
    }

    @Test
    public void changedManagedSetIsUpdatedWithBeforeAndAfter() {
        seedZone(List.of(DnsRecordSet.of("", "MX", 3600, "30 parse2.mailjet.com.")));

        DnsPlan plan = manager.plan(desired());

        DnsChange mx = plan.changes().stream().filter(c -> c.key().equals(key("", "MX"))).findFirst().orElseThrow();
        assertThat(mx.action()).isEqualTo(DnsChange.Action.UPDATE);
        assertThat(mx.before().orElseThrow().records()).containsExactly("30 parse2.mailjet.com.");
        assertThat(mx.after().records()).containsExactlyInAnyOrder("10 parse.mailjet.com.", "20 parse2.mailjet.com.");
    }

    @Test
    public void aForeignApexMxIsAConflictAndThePlanIsRefusedWithoutAWrite() {
        seedZone(List.of(DnsRecordSet.of("", "MX", 3600, "10 mx.old-provider.example.")));

        DnsPlan plan = manager.plan(desired());

        DnsChange mx = plan.changes().stream().filter(c -> c.key().equals(key("", "MX"))).findFirst().orElseThrow();
        assertThat(mx.action()).isEqualTo(DnsChange.Action.CONFLICT);
        assertThatThrownBy(() -> manager.apply(plan)).isInstanceOf(io.azt3knet.mail.DnsConflictException.class);
        assertThat(writeRequests()).isZero();
        assertThat(live().get(key("", "MX")).records()).containsExactly("10 mx.old-provider.example.");
    }

    @Test
    public void existingDmarcPolicyIsKeptAndNoted() {
        String strict = "v=DMARC1; p=reject; rua=mailto:dmarc@agents.example.org";
        seedZone(List.of(DnsRecordSet.of("_dmarc", "TXT", 3600, strict)));

        DnsPlan plan = manager.plan(desired());
        manager.apply(plan);

        DnsChange dmarc = plan.changes().stream().filter(c -> c.key().equals(key("_dmarc", "TXT"))).findFirst().orElseThrow();
        assertThat(dmarc.action()).isEqualTo(DnsChange.Action.UNCHANGED);
        assertThat(dmarc.after().records()).containsExactly(strict);
        assertThat(plan.notes()).anySatisfy(n -> assertThat(n).contains("kept the existing _dmarc TXT").contains("p=reject"));
        assertThat(live().get(key("_dmarc", "TXT")).records()).containsExactly(strict);
        assertThat(manager.plan(desired()).hasChanges()).isFalse();
    }

    @Test
    public void enforcedDmarcPolicyReplacesTheExistingOne() {
        seedZone(List.of(DnsRecordSet.of("_dmarc", "TXT", 3600, "v=DMARC1; p=none")));
        DesiredDns enforced = DesiredDns.forMail(requirements(), MailDnsOptions.defaults()
                .withDmarcPolicy(MailDnsOptions.DmarcPolicy.REJECT).withDmarcEnforced(true));

        DnsPlan plan = manager.plan(enforced);
        manager.apply(plan);

        DnsChange dmarc = plan.changes().stream().filter(c -> c.key().equals(key("_dmarc", "TXT"))).findFirst().orElseThrow();
        assertThat(dmarc.action()).isEqualTo(DnsChange.Action.UPDATE);
        assertThat(dmarc.before().orElseThrow().records()).containsExactly("v=DMARC1; p=none");
        assertThat(live().get(key("_dmarc", "TXT")).records()).containsExactly("v=DMARC1; p=reject");
    }
}
