package io.azt3knet.mail.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.dns.DnsManager;
import io.azt3knet.mail.dns.DnsRecordSet;
import io.azt3knet.mail.test.DnsManagerContractTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxDnsManagerContractTest extends DnsManagerContractTest {

    @TempDir
    Path dir;

    private SandboxDnsManager dns;

    @Override
    protected DnsManager createManager(String domain, int minimumTtl) {
        dns = SandboxDnsManager.builder(dir).minimumTtl(minimumTtl).build();
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

    @Test
    void theZoneOutlivesTheManagerAndPrintsAsAZoneFile() {
        dns.apply(dns.plan(desired()));

        try (SandboxDnsManager again = SandboxDnsManager.builder(dir).build()) {
            assertThat(again.recordSets(domain())).containsExactlyInAnyOrderElementsOf(dns.recordSets(domain()));
            assertThat(again.plan(desired()).hasChanges()).isFalse();
            String zone = again.zoneFile(domain());
            assertThat(zone).startsWith("$ORIGIN agents.example.org.\n$TTL 3600\n")
                    .contains(" IN MX    10 parse.mailjet.com.")
                    .contains("_dmarc").contains("\"v=DMARC1; p=none\"")
                    .contains("\"v=spf1 include:spf.mailjet.com ~all\"");
            // the 2048-bit key is longer than one TXT string: split into quoted strings of at most 255 bytes
            String dkimLine = zone.lines().filter(l -> l.startsWith("mailjet._domainkey")).findFirst().orElseThrow();
            assertThat(dkimLine.substring(dkimLine.indexOf('"'))).matches("(\"[^\"]{1,255}\" ?)+");
            assertThat(dkimLine.replaceAll("\" \"", "").replace("\"", "")).endsWith(DKIM_VALUE);
        }
    }

    @Test
    void publicAddressIsTheLoopbackWithoutAnyLookup() {
        assertThat(dns.discoverPublicIpv4().getHostAddress()).isEqualTo("127.0.0.1");
    }
}
