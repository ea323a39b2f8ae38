package io.azt3knet.mail.test;

import io.azt3knet.mail.dns.DnsManager;
import io.azt3knet.mail.dns.DnsRecordSet;
import io.azt3knet.mail.dns.DynDnsOutcome;
import io.azt3knet.mail.dns.DynDnsUpdate;
import io.azt3knet.mail.dns.InMemoryDnsManager;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryDnsManagerContractTest extends DnsManagerContractTest {

    private InMemoryDnsManager dns;

    @Override
    protected DnsManager createManager(String domain, int minimumTtl) {
        dns = InMemoryDnsManager.builder().minimumTtl(minimumTtl).publicIpv4("192.0.2.10").build();
        return dns;
    }

    @Override
    protected void seedZone(List<DnsRecordSet> sets) {
        dns.seed(domain(), sets);
    }

    @Override
    protected long writeRequests() {
        return dns.writeRequests();
    }

    static Inet4Address ipv4(String literal) {
        try {
            return (Inet4Address) InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void dynDnsSetsTheApexAddressAndPreservesTheOtherFamily() throws Exception {
        DnsRecordSet aaaa = DnsRecordSet.of("", "AAAA", 60, "2001:db8::1");
        dns.seed(domain(), List.of(aaaa));

        DynDnsOutcome result = dns.updateDynDns(DynDnsUpdate.ipv4(domain(), dns.discoverPublicIpv4()));

        assertThat(result.action()).isEqualTo(DynDnsOutcome.Action.UPDATED);
        assertThat(dns.recordSets(domain())).contains(aaaa, DnsRecordSet.of("", "A", 60, "192.0.2.10"));
    }

    @Test
    void dynDnsOfASubnameChangesOnlyThatName() {
        dns.seed(domain(), List.of(DnsRecordSet.of("", "A", 60, "192.0.2.1")));

        dns.updateDynDns(new DynDnsUpdate("home." + domain(), Optional.of(ipv4("192.0.2.99")), Optional.empty()));

        assertThat(dns.recordSets(domain())).containsExactlyInAnyOrder(
                DnsRecordSet.of("", "A", 60, "192.0.2.1"), DnsRecordSet.of("home", "A", 60, "192.0.2.99"));
    }
}
