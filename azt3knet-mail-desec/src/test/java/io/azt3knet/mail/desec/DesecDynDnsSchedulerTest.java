package io.azt3knet.mail.desec;

import io.azt3knet.mail.dns.DynDnsScheduler;
import io.azt3knet.mail.test.fake.FakeDesec;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.azt3knet.mail.QuotaExhaustedException;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.dns.DnsRecordSet;
import io.azt3knet.mail.dns.DynDnsOutcome;
import io.azt3knet.mail.dns.DynDnsUpdate;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link DynDnsScheduler} on {@link DesecDnsManager} against the stateful fake deSEC (REST, DynDNS, check-IP). */
class DesecDynDnsSchedulerTest {

    private static final String DOMAIN = "agents.dedyn.io";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    private final FakeDesec fake = new FakeDesec(DOMAIN, 3600);
    private WireMockServer server;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    /** A manager as a new process builds it: nothing remembered. */
    private DesecDnsManager freshManager() {
        URI base = URI.create("http://127.0.0.1:" + server.port());
        return DesecDnsManager.builder(DesecSettings.builder(DOMAIN, Secret.of(FakeDesec.TOKEN)).apiUrl(base.resolve("/api/v1"))
                        .dynDnsUpdateUrl(base.resolve("/update/")).checkIpUrl(base.resolve("/checkip/")).build())
                .clock(clock)
                .build();
    }

    private static Inet4Address v4(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    @Test
    void aOneShotRunInAFreshProcessSendsNoUpdateWhenTheAddressIsUnchanged() {
        try (DesecDnsManager first = freshManager()) {
            assertThat(first.dynDnsScheduler().build().runOnce().action()).isEqualTo(DynDnsOutcome.Action.UPDATED);
        }
        assertThat(fake.dynDnsUpdates()).isEqualTo(1);
        assertThat(fake.stored("", "A").get("records").get(0).asText()).isEqualTo("198.51.100.1");

        clock.advance(Duration.ofHours(24));
        try (DesecDnsManager second = freshManager()) {
            DynDnsOutcome result = second.dynDnsScheduler().build().runOnce();

            assertThat(result.action()).isEqualTo(DynDnsOutcome.Action.SKIPPED_UNCHANGED);
        }
        assertThat(fake.dynDnsUpdates()).isEqualTo(1);

        fake.publicIpv4("198.51.100.2");
        try (DesecDnsManager third = freshManager()) {
            assertThat(third.dynDnsScheduler().build().runOnce().action()).isEqualTo(DynDnsOutcome.Action.UPDATED);
        }
        assertThat(fake.stored("", "A").get("records").get(0).asText()).isEqualTo("198.51.100.2");
    }

    @Test
    void anAddressSetInTheZoneBeforehandIsNotSentAgain() {
        fake.seed(DnsRecordSet.of("", "A", 60, "198.51.100.1"));

        try (DesecDnsManager dns = freshManager()) {
            assertThat(dns.dynDnsScheduler().build().runOnce().action()).isEqualTo(DynDnsOutcome.Action.SKIPPED_UNCHANGED);
        }

        assertThat(fake.dynDnsUpdates()).isZero();
        assertThat(fake.checkIpCalls()).isEqualTo(1);
    }

    @Test
    void theSchedulerAndDirectUpdatesShareTheLimitOfTwoUpdatesInTwoMinutes() throws Exception {
        try (DesecDnsManager dns = freshManager()) {
            dns.updateDynDns(DynDnsUpdate.ipv4(DOMAIN, v4("198.51.100.5"))); // e.g. the domain bootstrap
            clock.advance(Duration.ofSeconds(10));
            dns.updateDynDns(DynDnsUpdate.ipv4(DOMAIN, v4("198.51.100.6")));
            DynDnsScheduler scheduler = dns.dynDnsScheduler().build();

            assertThatThrownBy(scheduler::runOnce).isInstanceOfSatisfying(QuotaExhaustedException.class,
                    e -> assertThat(e.availableAt()).isEqualTo(Instant.parse("2026-11-24T10:02:00Z")));
            assertThat(fake.dynDnsUpdates()).isEqualTo(2);

            clock.advance(Duration.ofMinutes(2));
            assertThat(scheduler.runOnce().action()).isEqualTo(DynDnsOutcome.Action.UPDATED);
            assertThat(fake.dynDnsUpdates()).isEqualTo(3);
        }
    }
}
