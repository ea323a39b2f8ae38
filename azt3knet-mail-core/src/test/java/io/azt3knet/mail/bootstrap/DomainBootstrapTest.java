package io.azt3knet.mail.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.dns.DnsChange;
import io.azt3knet.mail.dns.DnsRecordSet;
import io.azt3knet.mail.dns.DynDnsOutcome;
import io.azt3knet.mail.dns.InMemoryDnsManager;
import io.azt3knet.mail.provisioning.InMemoryMailboxProvisioner;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DomainBootstrapTest {

    private static final String DOMAIN = "agents.example.org";

    private final InMemoryMailboxProvisioner provider = InMemoryMailboxProvisioner.builder().build();
    private final InMemoryDnsManager dns = InMemoryDnsManager.builder().publicIpv4("203.0.113.7").build();
    private final List<Duration> sleeps = new ArrayList<>();
    private final DomainBootstrap bootstrap = new DomainBootstrap(provider, dns, sleeps::add);

    private static Inet4Address ip(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void bootstrapsAnEmptyZoneInOneWriteThenRefreshesDynDnsAndVerifies() {
        DomainReport report = bootstrap.run(DOMAIN, BootstrapOptions.defaults().withMailHost(true));

        assertThat(report.succeeded()).as(report.render()).isTrue();
        assertThat(report.dnsWritten()).isTrue();
        assertThat(report.steps()).extracting(BootstrapStep::name).containsExactly("prepare domain",
                "discover public IP", "plan DNS", "apply DNS", "refresh DynDNS", "verify at provider");
        assertThat(report.plan().orElseThrow().changes()).extracting(DnsChange::action).containsOnly(DnsChange.Action.CREATE);
        assertThat(dns.recordSets(DOMAIN)).extracting(DnsRecordSet::key).contains(
                new DnsRecordSet.Key("", "MX"), new DnsRecordSet.Key("", "TXT"), new DnsRecordSet.Key("_dmarc", "TXT"),
                new DnsRecordSet.Key("mail", "A"), new DnsRecordSet.Key("", "A"));
        assertThat(report.dynDns().orElseThrow().action()).isEqualTo(DynDnsOutcome.Action.UPDATED);
        assertThat(report.verification().orElseThrow().isReady()).isTrue();
        assertThat(dns.writeRequests()).isEqualTo(2); // the bulk apply and the DynDNS update
    }

    @Test
    void aSecondRunWithNothingChangedWritesNothing() {
        bootstrap.run(DOMAIN, BootstrapOptions.defaults().withMailHost(true));
        long writes = dns.writeRequests();

        DomainReport second = bootstrap.run(DOMAIN, BootstrapOptions.defaults().withMailHost(true));

        assertThat(second.succeeded()).isTrue();
        assertThat(second.dnsWritten()).isFalse();
        assertThat(second.plan().orElseThrow().hasChanges()).isFalse();
        assertThat(second.dynDns().orElseThrow().action()).isEqualTo(DynDnsOutcome.Action.SKIPPED_UNCHANGED);
        assertThat(dns.writeRequests()).isEqualTo(writes);
    }

    @Test
    void keepsAnUnrelatedSpfRecordAndOtherApexTxt() {
        dns.seed(DOMAIN, List.of(DnsRecordSet.of("", "TXT", 3600, "v=spf1 mx include:_spf.google.com -all",
                "google-site-verification=abc")));

        DomainReport report = bootstrap.run(DOMAIN, BootstrapOptions.defaults().withDynDns(false));

        assertThat(report.succeeded()).isTrue();
        DnsRecordSet apexTxt = dns.recordSets(DOMAIN).stream()
                .filter(s -> s.key().equals(new DnsRecordSet.Key("", "TXT"))).findFirst().orElseThrow();
        assertThat(apexTxt.records()).containsExactlyInAnyOrder(
                "v=spf1 mx include:_spf.google.com include:spf.in-memory.invalid -all", "google-site-verification=abc");
    }

    @Test
    void aDryRunPlansButChangesNothingAnywhere() {
        provider.prepareDomain(DOMAIN);
        DomainReport report = bootstrap.run(DOMAIN, BootstrapOptions.defaults().withDryRun(true));

        assertThat(report.dryRun()).isTrue();
        assertThat(report.plan().orElseThrow().hasChanges()).isTrue();
        assertThat(dns.writeRequests()).isZero();
        assertThat(dns.recordSets(DOMAIN)).isEmpty();
        assertThat(report.steps()).filteredOn(s -> s.status() == BootstrapStep.Status.SKIPPED)
                .extracting(BootstrapStep::name).containsExactly("apply DNS", "refresh DynDNS", "verify at provider");
        assertThat(report.render()).contains("(dry run)").contains("CREATE");
        assertThat(report.steps().get(0).name()).isEqualTo("read domain");
    }

    @Test
    void aDryRunForADomainTheProviderDoesNotKnowRegistersNothingAndSaysWhy() {
        DomainReport report = bootstrap.run(DOMAIN, BootstrapOptions.defaults().withDryRun(true));

        assertThat(report.succeeded()).isFalse();
        assertThat(report.steps().get(0).detail()).contains("does not know agents.example.org yet");
        assertThat(provider.domainRequirements(DOMAIN)).isEmpty();
        assertThat(dns.writeRequests()).isZero();
    }

    @Test
    void aFailingStepStopsTheRunAndIsReported() {
        dns.seed(DOMAIN, List.of());
        InMemoryDnsManager zone = InMemoryDnsManager.builder().publicIpv4("203.0.113.7").build();
        io.azt3knet.mail.dns.DnsManager forbidden = new io.azt3knet.mail.dns.DnsManager() {
            @Override public String providerName() { return "desec"; }
            @Override public List<DnsRecordSet> recordSets(String d) { return zone.recordSets(d); }
            @Override public int minimumTtl(String d) { return zone.minimumTtl(d); }
            @Override public io.azt3knet.mail.dns.DnsPlan plan(io.azt3knet.mail.dns.DesiredDns desired) { return zone.plan(desired); }
            @Override public io.azt3knet.mail.dns.DnsApplyReport apply(io.azt3knet.mail.dns.DnsPlan plan) {
                throw io.azt3knet.mail.ProviderServiceException.builder("desec", "PATCH /domains/x/rrsets/", 403)
                        .message("You do not have permission").build();
            }
            @Override public DynDnsOutcome updateDynDns(io.azt3knet.mail.dns.DynDnsUpdate u) { return zone.updateDynDns(u); }
            @Override public Inet4Address discoverPublicIpv4() { return zone.discoverPublicIpv4(); }
            @Override public void close() { }
        };
        DomainBootstrap broken = new DomainBootstrap(provider, forbidden, sleeps::add);

        DomainReport report = broken.run(DOMAIN, BootstrapOptions.defaults());

        assertThat(report.succeeded()).isFalse();
        assertThat(report.steps()).extracting(BootstrapStep::status).containsExactly(BootstrapStep.Status.OK,
                BootstrapStep.Status.OK, BootstrapStep.Status.OK, BootstrapStep.Status.FAILED,
                BootstrapStep.Status.SKIPPED, BootstrapStep.Status.SKIPPED);
        assertThat(report.steps().get(3).detail()).contains("403").contains("You do not have permission");
    }
}
