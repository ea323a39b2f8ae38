package io.azt3knet.mail.examples.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.azt3knet.mail.examples.cli.ProviderFakes.DOMAIN;
import static io.azt3knet.mail.examples.cli.ProviderFakes.PUBLIC_IP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.bootstrap.BootstrapOptions;
import io.azt3knet.mail.bootstrap.DomainReport;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.dns.DnsRecordSet;
import io.azt3knet.mail.provisioning.AgentOutcome;
import io.azt3knet.mail.provisioning.ProvisioningReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code dyndns} once, and {@link MailAutomation#fromConfiguration} finding both provider modules through
 * {@code ServiceLoader}, end to end against the fakes (core cannot test this: it does not see the providers).
 */
class DynDnsAndBuilderEndToEndTest {

    private ProviderFakes fakes;

    @BeforeEach
    void start() {
        fakes = new ProviderFakes();
    }

    @AfterEach
    void stop() {
        fakes.close();
    }

    private ConfigSource config(Map<String, String> env) {
        return ConfigSource.builder().systemProperties(false).environment(env).noDotEnv().build();
    }

    @Test
    void dyndnsOncePointsTheDomainAtThePublicAddressAndPreservesIpv6() {
        fakes.desec.seed(DnsRecordSet.of("", "AAAA", 3600, "2001:db8::7"));

        CommandRun run = CommandRun.run("", fakes.env(), "dyndns");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(DOMAIN + " -> " + PUBLIC_IP + " (updated; IPv6 preserved)");
        assertThat(fakes.desecServer.findAll(getRequestedFor(urlPathEqualTo("/checkip/")))).hasSize(1);
        assertThat(fakes.desecServer.findAll(getRequestedFor(urlPathEqualTo("/update/")))).singleElement()
                .satisfies(r -> assertThat(r.queryParameter("myipv6").firstValue()).isEqualTo("preserve"));
        assertThat(fakes.desec.stored("", "A").get("records").get(0).asText()).isEqualTo(PUBLIC_IP);
        assertThat(fakes.desec.stored("", "AAAA").get("records").get(0).asText()).isEqualTo("2001:db8::7");
    }

    @Test
    void dyndnsDryRunReadsButSendsNoUpdateAndPrintsJsonWhenAsked() {
        CommandRun run = CommandRun.run("", fakes.env(), "dyndns", "--dry-run", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("{\"domain\":\"" + DOMAIN + "\",\"ipv4\":\"" + PUBLIC_IP
                + "\",\"action\":\"planned\"}");
        assertThat(fakes.desec.dynDnsUpdates()).isZero();
        assertThat(fakes.desecServer.findAll(getRequestedFor(urlPathEqualTo("/update/")))).isEmpty();

        CommandRun refresh = CommandRun.run("", fakes.env(), "dyndns", "--json");
        assertThat(refresh.out()).contains("\"action\":\"updated\"");
        CommandRun again = CommandRun.run("", fakes.env(), "dyndns", "--dry-run");
        assertThat(again.out()).contains(DOMAIN + " -> " + PUBLIC_IP + " (unchanged, no update sent)");
        assertThat(fakes.desec.dynDnsUpdates()).isOne();
    }

    @Test
    void dyndnsThrottledByDesecExitsWithOneSaysSoAndChangesNothing() {
        fakes.desec.throttleDynDns(1, java.time.Duration.ofMinutes(2)); // deSEC's dyndns scope with one slot left
        CommandRun first = CommandRun.run("", fakes.env(), "dyndns");
        assertThat(first.exitCode()).as(first.err()).isZero();
        fakes.desec.publicIpv4("203.0.113.8"); // the address moved: a second update is needed

        CommandRun throttled = CommandRun.run("", fakes.env(), "dyndns");

        assertThat(throttled.exitCode()).as(throttled.out() + throttled.err()).isEqualTo(Azt3knetMailCommand.EXIT_FAILED);
        assertThat(throttled.out() + throttled.err()).contains("throttled").contains("2 DynDNS updates per 2 minutes")
                .doesNotContain(io.azt3knet.mail.test.fake.FakeDesec.TOKEN);
        assertThat(fakes.desec.throttled()).isOne();
        assertThat(fakes.desecServer.findAll(getRequestedFor(urlPathEqualTo("/update/")))).hasSize(2);
        assertThat(fakes.desec.stored("", "A").get("records").get(0).asText()).isEqualTo(PUBLIC_IP);
    }

    @Test
    void dyndnsDryRunCannotKeepRefreshing() {
        CommandRun run = CommandRun.run("", fakes.env(), "dyndns", "--dry-run", "--every", "30m");

        assertThat(run.exitCode()).isEqualTo(Azt3knetMailCommand.EXIT_USAGE);
        assertThat(run.err()).contains("--dry-run shows one refresh");
    }

    @Test
    void dyndnsInTheSandboxPointsTheSandboxZoneAtLoopbackWithoutAnAccount(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) {
        java.nio.file.Path sandboxDir = dir.resolve("sandbox");
        CommandRun run = CommandRun.run("", Map.of(), "dyndns", "--sandbox", "--sandbox-dir", sandboxDir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("agents.azt3knet.test -> 127.0.0.1 (updated; IPv6 preserved)");
        CommandRun again = CommandRun.run("", Map.of(), "dyndns", "--sandbox", "--sandbox-dir", sandboxDir.toString());
        assertThat(again.out()).contains("(unchanged, no update sent)");
    }

    @Test
    void concurrencyIsReadFromTheConfigurationAndChecked() {
        Map<String, String> env = new java.util.HashMap<>(fakes.env());
        env.put(MailAutomation.CONCURRENCY, "4");
        try (MailAutomation mail = MailAutomation.fromConfiguration(config(env))) {
            assertThat(mail.toString()).contains("concurrency=4");
        }
        env.put(MailAutomation.CONCURRENCY, "0");
        assertThatThrownBy(() -> MailAutomation.fromConfiguration(config(env)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("AZT3KNET_PROVISIONING_CONCURRENCY must be between 1 and 256, got 0");
    }

    @Test
    void dyndnsWithoutCredentialsPointsAtTheSandbox() {
        CommandRun run = CommandRun.run("", Map.of(), "dyndns");

        assertThat(run.exitCode()).isEqualTo(Azt3knetMailCommand.EXIT_USAGE);
        assertThat(run.err()).contains("DESEC_TOKEN").contains("--sandbox").contains("demo");
    }

    @Test
    void dyndnsWithAWrongTokenExitsWithOneAndSaysWhatToCheck() {
        CommandRun run = CommandRun.run("", fakes.env(Map.of("DESEC_TOKEN", "not-the-token")), "dyndns");

        assertThat(run.exitCode()).isEqualTo(Azt3knetMailCommand.EXIT_FAILED);
        assertThat(run.err()).contains("401").contains("Invalid token").contains("DESEC_TOKEN").doesNotContain("not-the-token");
        assertThat(fakes.desec.dynDnsUpdates()).isZero();
    }

    @Test
    void builderFromConfigurationFindsBothProvidersBootstrapsTheDomainAndProvisionsAgents() {
        List<AgentOutcome> seen = new ArrayList<>();
        try (MailAutomation mail = MailAutomation.fromConfiguration(config(fakes.env()))) {
            assertThat(mail.toString()).contains("provisioner=mailjet").contains("dns=desec").contains("concurrency=16");

            DomainReport domain = mail.bootstrapDomain(BootstrapOptions.defaults()
                    .withVerification(Duration.ZERO, Duration.ofSeconds(1)));
            ProvisioningReport population = mail.provision(
                    List.of(AgentIdentity.of("Jane", "Doe"), AgentIdentity.of("Анна", "Иванова"), AgentIdentity.of("Zoë", "Faÿ")),
                    mail.newNamer(7, Clock.fixed(Instant.parse("2024-10-05T12:30:45Z"), ZoneOffset.UTC)),
                    (outcome, done, total) -> seen.add(outcome));

            assertThat(domain.succeeded()).as(domain.render()).isTrue();
            assertThat(domain.dnsWritten()).isTrue();
            assertThat(domain.verification()).hasValueSatisfying(v -> assertThat(v.isReady()).isTrue());
            assertThat(population.allSucceeded()).as(population.summary()).isTrue();
            assertThat(population.outcomes()).extracting(o -> o.address().orElseThrow().value()).satisfiesExactly(
                    a -> assertThat(a).matches("jane\\.doe\\.\\d{3}\\.20241005123045@agents\\.example\\.org"),
                    a -> assertThat(a).matches("anna\\.ivanova\\.\\d{3}\\.20241005123045@agents\\.example\\.org"),
                    a -> assertThat(a).matches("zoe\\.fay\\.\\d{3}\\.20241005123045@agents\\.example\\.org"));
        }
        assertThat(seen).hasSize(3);
        assertThat(fakes.mailjet.routeCount()).isEqualTo(3);
        assertThat(fakes.desec.writes()).isEqualTo(1);
    }

    @Test
    void builderFromConfigurationNamesEveryProblemOfEveryModuleAtOnce() {
        Map<String, String> env = Map.of("MAILJET_API_URL", "http://api.mailjet.example", "DESEC_DYNDNS_INTERVAL", "5s");

        assertThatThrownBy(() -> MailAutomation.fromConfiguration(config(env)))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(String.join("\n", e.problems()))
                        .contains("DESEC_DOMAIN", "DESEC_TOKEN", "MAILJET_API_KEY", "MAILJET_API_SECRET")
                        .contains("MAILJET_API_URL").contains("https://")
                        .contains("DESEC_DYNDNS_INTERVAL"));
    }
}
