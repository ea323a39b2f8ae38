package io.azt3knet.mail.desec;

import io.azt3knet.mail.test.fake.FakeDesec;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.dns.DnsManager;
import io.azt3knet.mail.test.DnsManagerContractTest;
import io.azt3knet.mail.dns.DnsRecordSet;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The core {@code DnsManager} contract, run against {@link DesecDnsManager} on a stateful fake deSEC. */
class DesecDnsManagerContractTest extends DnsManagerContractTest {

    private WireMockServer server;
    private FakeDesec fake;

    @Override
    protected DnsManager createManager(String domain, int minimumTtl) {
        fake = new FakeDesec(domain, minimumTtl);
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
        URI base = URI.create("http://127.0.0.1:" + server.port());
        return DesecDnsManager.builder(DesecSettings.builder(domain, Secret.of(FakeDesec.TOKEN))
                        .apiUrl(base.resolve("/api/v1")).dynDnsUpdateUrl(base.resolve("/update/"))
                        .checkIpUrl(base.resolve("/checkip/")).build())
                .build();
    }

    @Override
    protected void seedZone(List<DnsRecordSet> sets) {
        sets.forEach(fake::seed);
    }

    @Override
    protected long writeRequests() {
        return fake.writes();
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }
}
