package io.azt3knet.mail.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DynDnsSchedulerTest {

    /** Reports a public address the test sets, serves a zone, and records the reads and updates it receives. */
    private static final class FakeDynDns implements DnsManager {
        volatile Inet4Address publicAddress = ip("198.51.100.1");
        volatile List<DnsRecordSet> zone = List.of();
        final List<String> zoneReads = new CopyOnWriteArrayList<>();
        final List<DynDnsUpdate> updates = new CopyOnWriteArrayList<>();

        @Override
        public String providerName() {
            return "fake";
        }

        @Override
        public List<DnsRecordSet> recordSets(String domain) {
            zoneReads.add(domain);
            return zone;
        }

        @Override
        public int minimumTtl(String domain) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DnsPlan plan(DesiredDns desired) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DnsApplyReport apply(DnsPlan plan) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DynDnsOutcome updateDynDns(DynDnsUpdate update) {
            updates.add(update);
            return new DynDnsOutcome(update, DynDnsOutcome.Action.UPDATED);
        }

        @Override
        public Inet4Address discoverPublicIpv4() {
            return publicAddress;
        }

        @Override
        public void close() {
        }
    }

    private static Inet4Address ip(String s) {
        try {
            return (Inet4Address) InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private final FakeDynDns dns = new FakeDynDns();

    @Test
    void firstRunUpdatesAndAnUnchangedAddressIsSkipped() {
        DynDnsScheduler scheduler = DynDnsScheduler.builder(dns, "agents.dedyn.io").build();

        assertThat(scheduler.runOnce().action()).isEqualTo(DynDnsOutcome.Action.UPDATED);
        assertThat(scheduler.runOnce().action()).isEqualTo(DynDnsOutcome.Action.SKIPPED_UNCHANGED);

        assertThat(dns.updates).containsExactly(DynDnsUpdate.ipv4("agents.dedyn.io", ip("198.51.100.1")));
    }

    @Test
    void aFreshSchedulerSkipsTheUpdateWhenTheZoneAlreadyHoldsTheAddress() {
        dns.zone = List.of(DnsRecordSet.of("", "AAAA", 60, "2001:db8::1"), DnsRecordSet.of("", "A", 60, "198.51.100.1"));
        DynDnsScheduler scheduler = DynDnsScheduler.builder(dns, "agents.dedyn.io").build();

        DynDnsOutcome result = scheduler.runOnce();

        assertThat(result.action()).isEqualTo(DynDnsOutcome.Action.SKIPPED_UNCHANGED);
        assertThat(result.update().ipv4()).contains(ip("198.51.100.1"));
        assertThat(dns.updates).isEmpty();
    }

    @Test
    void theZoneIsReadOnceOnTheFirstRunAndThenTheSchedulersOwnUpdatesCount() {
        dns.zone = List.of(DnsRecordSet.of("", "A", 60, "198.51.100.9"));
        DynDnsScheduler scheduler = DynDnsScheduler.builder(dns, "agents.dedyn.io").build();

        assertThat(scheduler.runOnce().action()).isEqualTo(DynDnsOutcome.Action.UPDATED);
        assertThat(scheduler.runOnce().action()).isEqualTo(DynDnsOutcome.Action.SKIPPED_UNCHANGED);
        dns.publicAddress = ip("198.51.100.9");
        assertThat(scheduler.runOnce().action()).isEqualTo(DynDnsOutcome.Action.UPDATED);

        assertThat(dns.zoneReads).containsExactly("agents.dedyn.io");
        assertThat(dns.updates).extracting(u -> u.ipv4().orElseThrow()).containsExactly(ip("198.51.100.1"), ip("198.51.100.9"));
    }

    @Test
    void anASetWithSeveralAddressesIsReplacedByTheOneAddress() {
        dns.zone = List.of(DnsRecordSet.of("", "A", 60, "198.51.100.1", "198.51.100.2"));

        assertThat(DynDnsScheduler.builder(dns, "agents.dedyn.io").build().runOnce().action())
                .isEqualTo(DynDnsOutcome.Action.UPDATED);
    }

    @Test
    void aHostNameUnderTheZoneIsLookedUpByItsSubname() {
        dns.zone = List.of(DnsRecordSet.of("", "A", 60, "198.51.100.7"), DnsRecordSet.of("home", "A", 60, "198.51.100.1"));
        DynDnsScheduler scheduler = DynDnsScheduler.builder(dns, "Home.Agents.dedyn.io").zone("agents.dedyn.io").build();

        assertThat(scheduler.runOnce().action()).isEqualTo(DynDnsOutcome.Action.SKIPPED_UNCHANGED);
        assertThat(dns.zoneReads).containsExactly("agents.dedyn.io");
        assertThatThrownBy(() -> DynDnsScheduler.builder(dns, "home.example.org").zone("agents.dedyn.io").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in zone");
    }

    @Test
    void aFreshSchedulerOnTheInMemoryManagerSkipsWhatAnEarlierOneUpdated() throws Exception {
        InMemoryDnsManager memory = InMemoryDnsManager.builder().publicIpv4("192.0.2.10").build();

        assertThat(DynDnsScheduler.builder(memory, "agents.example.org").build().runOnce().action())
                .isEqualTo(DynDnsOutcome.Action.UPDATED);
        assertThat(DynDnsScheduler.builder(memory, "agents.example.org").build().runOnce().action())
                .isEqualTo(DynDnsOutcome.Action.SKIPPED_UNCHANGED);
        assertThat(memory.writeRequests()).isEqualTo(1);
    }

    @Test
    void aChangedAddressIsSentAndIpv6IsPreserved() {
        DynDnsScheduler scheduler = DynDnsScheduler.builder(dns, "agents.dedyn.io").build();
        scheduler.runOnce();

        dns.publicAddress = ip("198.51.100.2");
        DynDnsOutcome result = scheduler.runOnce();

        assertThat(result.action()).isEqualTo(DynDnsOutcome.Action.UPDATED);
        assertThat(result.update().ipv4()).contains(ip("198.51.100.2"));
        assertThat(result.update().ipv6()).isEmpty();
        assertThat(dns.updates).hasSize(2);
    }

    @Test
    void startRunsAtOnceAndCloseStopsTheBackgroundThread() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        DynDnsScheduler scheduler = DynDnsScheduler.builder(dns, "agents.dedyn.io")
                .interval(Duration.ofHours(24)).listener(r -> ran.countDown()).build();

        try (scheduler) {
            scheduler.start();
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(scheduler::start).isInstanceOf(IllegalStateException.class);
        }

        assertThat(dns.updates).hasSize(1);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("azt3knet-dyndns-agents.dedyn.io")) {
                t.join(10_000); // the executor has terminated; its worker is exiting
                assertThat(t.isAlive()).isFalse();
            }
        }
    }

    @Test
    void intervalShorterThanAMinuteIsRefused() {
        assertThatThrownBy(() -> DynDnsScheduler.builder(dns, "agents.dedyn.io").interval(Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 minute");
    }
}
