package io.azt3knet.mail.examples.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.azt3knet.mail.examples.cli.ProviderFakes.DOMAIN;
import static io.azt3knet.mail.examples.cli.ProviderFakes.PUBLIC_IP;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.azt3knet.mail.dns.DnsRecordSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code dns-bootstrap} end to end: the real command against stateful Mailjet and deSEC fakes on loopback. */
class DnsBootstrapEndToEndTest {

    private static final String RRSETS = "/api/v1/domains/" + DOMAIN + "/rrsets/";

    private ProviderFakes fakes;

    @BeforeEach
    void start() {
        fakes = new ProviderFakes();
    }

    @AfterEach
    void stop() {
        fakes.close();
    }

    private CommandRun bootstrap(String... options) {
        String[] args = Stream.concat(Stream.of("dns-bootstrap", "--wait", "0s"), Stream.of(options)).toArray(String[]::new);
        return CommandRun.run("", fakes.env(), args);
    }

    private List<LoggedRequest> validations() {
        return fakes.mailjetServer.findAll(postRequestedFor(urlPathMatching("/v3/REST/sender/[0-9]+/validate")));
    }

    private List<LoggedRequest> writesToDesec() {
        List<LoggedRequest> writes = new ArrayList<>(fakes.desecServer.findAll(anyRequestedFor(anyUrl())));
        writes.removeIf(r -> r.getMethod().getName().equals("GET"));
        return writes;
    }

    @Test
    void bootstrapsAnEmptyZoneInOneBulkWriteThenRefreshesDynDnsAndValidatesTheSender() throws Exception {
        CommandRun run = bootstrap();

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        List<LoggedRequest> patches = fakes.desecServer.findAll(patchRequestedFor(urlPathEqualTo(RRSETS)));
        assertThat(patches).hasSize(1);
        List<String> written = new ArrayList<>();
        for (JsonNode item : new ObjectMapper().readTree(patches.get(0).getBodyAsString())) {
            written.add(item.get("subname").asText() + " " + item.get("type").asText());
        }
        assertThat(written).contains(" MX", " TXT", "mailjet._domainkey TXT", "_dmarc TXT")
                .anyMatch(w -> w.matches("mailjet\\._[0-9a-f]+ TXT"));
        assertThat(fakes.desec.stored("", "MX").get("records").get(0).asText()).endsWith(" parse.mailjet.com.");
        assertThat(fakes.desec.txt(DOMAIN)).containsExactly("v=spf1 include:spf.mailjet.com ~all");

        List<LoggedRequest> dyn = fakes.desecServer.findAll(getRequestedFor(urlPathEqualTo("/update/")));
        assertThat(dyn).singleElement().satisfies(r -> {
            assertThat(r.queryParameter("hostname").firstValue()).isEqualTo(DOMAIN);
            assertThat(r.queryParameter("myipv4").firstValue()).isEqualTo(PUBLIC_IP);
            assertThat(r.queryParameter("myipv6").firstValue()).isEqualTo("preserve");
        });
        assertThat(fakes.desec.stored("", "A").get("records").get(0).asText()).isEqualTo(PUBLIC_IP);

        assertThat(fakes.mailjetServer.findAll(postRequestedFor(urlPathMatching("/v3/REST/dns/[^/]+/check")))).isNotEmpty();
        assertThat(validations()).hasSize(1);
        assertThat(fakes.mailjet.senderCount()).isEqualTo(1);
        assertThat(run.out()).contains("Domain bootstrap of " + DOMAIN)
                .contains("applied in one atomic write")
                .contains(DOMAIN + " -> " + PUBLIC_IP)
                .contains("DKIM OK, SPF OK, sender validated")
                .doesNotContain("FAILED").doesNotContain("PENDING");
    }

    @Test
    void aZoneReadInSmallPagesAndAThrottledWriteStillEndInOneMergedSpfRecord() {
        fakes.desec.pageSize(2); // deSEC's 500, lowered: every read of the zone walks the cursor pages
        for (int i = 0; i < 4; i++) {
            fakes.desec.seed(DnsRecordSet.of("host" + i, "A", 3600, "192.0.2." + (10 + i)));
        }
        fakes.desec.seed(DnsRecordSet.of("", "TXT", 3600, "v=spf1 include:_spf.google.com -all")); // on the last page
        fakes.desec.throttleNextWrites(1, java.time.Duration.ofSeconds(1)); // 429, Retry-After: 1, deSEC's detail

        CommandRun run = bootstrap();

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(fakes.desec.throttled()).isEqualTo(1);
        assertThat(fakes.desecServer.findAll(patchRequestedFor(urlPathEqualTo(RRSETS)))).as("the refused write, then")
                .hasSize(2);
        assertThat(fakes.desec.writes()).as("written once").isEqualTo(1);
        assertThat(fakes.desecServer.findAll(getRequestedFor(urlPathEqualTo(RRSETS))))
                .anyMatch(r -> r.getUrl().contains("cursor=o"));
        assertThat(fakes.desec.txt(DOMAIN).stream().filter(t -> t.startsWith("v=spf1"))).singleElement()
                .satisfies(spf -> assertThat(spf).contains("include:_spf.google.com").contains("include:spf.mailjet.com"));
        assertThat(fakes.desec.stored("host3", "A")).isNotNull();
        assertThat(run.out()).contains("applied in one atomic write").contains("DKIM OK, SPF OK, sender validated");
    }

    @Test
    void mergesAnUnrelatedSpfRecordIntoOneAndKeepsTheOtherTxtRecords() {
        fakes.desec.seed(DnsRecordSet.of("", "TXT", 3600, "v=spf1 include:_spf.google.com -all",
                "google-site-verification=abc123"));

        CommandRun run = bootstrap();

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        List<String> apex = fakes.desec.txt(DOMAIN);
        assertThat(apex).contains("google-site-verification=abc123");
        assertThat(apex.stream().filter(t -> t.startsWith("v=spf1"))).singleElement().satisfies(spf -> assertThat(spf)
                .contains("include:_spf.google.com").contains("include:spf.mailjet.com").endsWith(" -all"));
        assertThat(fakes.desec.writes()).isEqualTo(1);
        assertThat(run.out()).contains("DKIM OK, SPF OK, sender validated");
    }

    @Test
    void aSecondRunWithNothingChangedWritesNothing() {
        CommandRun first = bootstrap();
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        long patches = fakes.desec.writes();
        int updates = fakes.desec.dynDnsUpdates();
        int senderPosts = fakes.mailjetServer.findAll(postRequestedFor(urlPathEqualTo("/v3/REST/sender"))).size();

        CommandRun second = bootstrap();

        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        assertThat(fakes.desec.writes()).isEqualTo(patches).isEqualTo(1);
        assertThat(fakes.desec.dynDnsUpdates()).isEqualTo(updates).isEqualTo(1);
        assertThat(fakes.mailjetServer.findAll(postRequestedFor(urlPathEqualTo("/v3/REST/sender")))).hasSize(senderPosts);
        assertThat(validations()).hasSize(1);
        assertThat(second.out()).contains("nothing to change, no write")
                .contains(DOMAIN + " already points at " + PUBLIC_IP)
                .contains("sender validated");
    }

    @Test
    void dryRunPrintsThePlanAndChangesNothingAnywhere() {
        fakes.mailjet.addDomainSender(DOMAIN, false);

        CommandRun run = bootstrap("--dry-run");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("(dry run)").contains("DNS plan for " + DOMAIN)
                .contains("mailjet._domainkey").contains("parse.mailjet.com.").contains("_dmarc");
        assertThat(fakes.mailjetServer.findAll(anyRequestedFor(anyUrl())))
                .allMatch(r -> r.getMethod().getName().equals("GET"));
        assertThat(writesToDesec()).isEmpty();
        assertThat(fakes.desec.stored("", "MX")).isNull();
        assertThat(fakes.mailjet.senderCount()).isEqualTo(1);
    }

    @Test
    void dryRunAsJsonIsOneObjectWithTheStepsAndThePlannedChanges() throws Exception {
        fakes.mailjet.addDomainSender(DOMAIN, false);

        CommandRun run = bootstrap("--dry-run", "--json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.lines()).hasSize(1);
        com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(run.out());
        assertThat(report.path("domain").asText()).isEqualTo(DOMAIN);
        assertThat(report.path("dryRun").asBoolean()).isTrue();
        assertThat(report.path("dnsWritten").asBoolean()).isFalse();
        assertThat(report.path("steps")).isNotEmpty();
        assertThat(report.path("changes").findValuesAsText("type")).contains("MX", "TXT");
        assertThat(report.path("changes")).anySatisfy(c -> {
            assertThat(c.path("type").asText()).isEqualTo("MX");
            assertThat(c.path("records").get(0).asText()).contains("parse.mailjet.com.");
        });
        assertThat(writesToDesec()).isEmpty();
    }

    @Test
    void dryRunOnADomainTheProviderDoesNotKnowPrintsTheWholePlanAndWritesNothingAnywhere() {
        CommandRun run = bootstrap("--dry-run", "--mail-host");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("(dry run)").contains("mailjet does not know " + DOMAIN + " yet")
                .contains("DKIM TXT: known after registration").contains("ownership TXT: known after registration")
                .contains("DNS plan for " + DOMAIN).contains("parse.mailjet.com.").contains("include:spf.mailjet.com")
                .contains("_dmarc").contains(PUBLIC_IP);
        assertThat(fakes.mailjetServer.findAll(anyRequestedFor(anyUrl())))
                .allMatch(r -> r.getMethod().getName().equals("GET"));
        assertThat(fakes.mailjet.senderCount()).isZero();
        assertThat(writesToDesec()).isEmpty();
        assertThat(fakes.desec.dynDnsUpdates()).isZero();
    }

    @Test
    void aRefusedDnsWriteExitsWithOneChangesNoRecordAndSkipsTheLaterSteps() {
        fakes.desec.publicIpv4("10.0.0.5"); // deSEC refuses private addresses

        CommandRun run = bootstrap("--mail-host");

        assertThat(run.exitCode()).isEqualTo(Azt3knetMailCommand.EXIT_FAILED);
        assertThat(run.out()).containsPattern("FAILED +apply DNS .*10\\.0\\.0\\.5")
                .containsPattern("SKIPPED +refresh DynDNS +an earlier step failed");
        assertThat(fakes.desec.stored("", "MX")).isNull();
        assertThat(fakes.desec.stored("mail", "A")).isNull();
        assertThat(fakes.desec.dynDnsUpdates()).isZero();
        assertThat(validations()).isEmpty();
    }

    @Test
    void aForeignMxAtTheApexIsAConflictShownInThePlanAndNothingIsWritten() {
        fakes.desec.seed(DnsRecordSet.of("", "MX", 3600, "10 aspmx.l.google.com.", "20 alt1.aspmx.l.google.com."));

        CommandRun run = bootstrap();

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(Azt3knetMailCommand.EXIT_FAILED);
        assertThat(run.out()).contains("CONFLICT").contains("aspmx.l.google.com").contains("--replace-mx");
        assertThat(run.err().lines().filter(l -> l.startsWith("azt3knet-mail dns-bootstrap: ")))
                .as("the reason on standard error too").singleElement().asString().contains(" failed: ");
        assertThat(writesToDesec()).isEmpty();
        assertThat(fakes.desec.stored("", "MX").get("records").toString()).contains("aspmx.l.google.com.");
        assertThat(fakes.desec.dynDnsUpdates()).isZero();
    }

    @Test
    void replaceMxTakesTheApexMxOverExplicitly() {
        fakes.desec.seed(DnsRecordSet.of("", "MX", 3600, "10 aspmx.l.google.com."));

        CommandRun run = bootstrap("--replace-mx");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(fakes.desec.stored("", "MX").get("records").toString())
                .contains("parse.mailjet.com.").doesNotContain("google");
    }

    @Test
    void aCnameAtAManagedNameIsAConflictReportedBeforeAnyWrite() {
        fakes.desec.seed(DnsRecordSet.of("_dmarc", "CNAME", 3600, "dmarc.vendor.example."));

        CommandRun run = bootstrap();

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(Azt3knetMailCommand.EXIT_FAILED);
        assertThat(run.out()).contains("CONFLICT").contains("CNAME");
        assertThat(writesToDesec()).isEmpty();
    }

    @Test
    void anSpfIncludeThatDoesNotNameASenderIsAConfigurationError() {
        for (String spf : List.of("+all", "?all", "ip4:0.0.0.0/0", "redirect=_spf.evil.example")) {
            Map<String, String> env = new java.util.HashMap<>(fakes.env());
            env.put("MAILJET_SPF_INCLUDE", spf);

            CommandRun run = CommandRun.run("", env, "dns-bootstrap", "--wait", "0s");

            assertThat(run.exitCode()).as(spf).isEqualTo(Azt3knetMailCommand.EXIT_USAGE);
            assertThat(run.err()).as(spf).contains("MAILJET_SPF_INCLUDE");
        }
        assertThat(writesToDesec()).isEmpty();
    }

    @Test
    void missingConfigurationExitsWithTwoNamingEveryMissingVariable() {
        CommandRun run = CommandRun.run("", Map.of(), "dns-bootstrap");

        assertThat(run.exitCode()).isEqualTo(Azt3knetMailCommand.EXIT_USAGE);
        assertThat(run.err()).contains("DESEC_DOMAIN", "DESEC_TOKEN", "MAILJET_API_KEY", "MAILJET_API_SECRET");
        assertThat(fakes.mailjetServer.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }
}
