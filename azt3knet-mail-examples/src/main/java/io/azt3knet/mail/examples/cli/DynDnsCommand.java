package io.azt3knet.mail.examples.cli;

import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.config.ProvisioningSettings;
import io.azt3knet.mail.config.SettingsReader;
import io.azt3knet.mail.desec.DesecDnsManager;
import io.azt3knet.mail.desec.DesecSettings;
import io.azt3knet.mail.dns.DnsManager;
import io.azt3knet.mail.dns.DynDnsOutcome;
import io.azt3knet.mail.dns.DynDnsScheduler;
import io.azt3knet.mail.sandbox.SandboxDnsManager;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code azt3knet-mail dyndns}: points the domain's DynDNS address at this machine's public IPv4 (IPv6 is
 * preserved), once or every {@code --every}; stops cleanly on Ctrl-C. {@code --dry-run} shows what a refresh
 * would do and changes nothing; {@code --sandbox} refreshes the sandbox zone (whose address is loopback).
 */
@Command(name = "dyndns",
        description = {"Refresh the domain's DynDNS address with this machine's public IPv4 (IPv6 preserved).",
            "Once by default; with --every, keep refreshing (updates only when the address changed)."})
final class DynDnsCommand implements Callable<Integer> {

    @ParentCommand
    private @Nullable Azt3knetMailCommand root;

    @Mixin
    private SandboxOptions sandbox = new SandboxOptions();

    @Option(names = "--every", paramLabel = "<duration>",
            description = "keep refreshing at this interval, e.g. 24h, 30m (at least 1m); runs until Ctrl-C")
    private @Nullable String every;

    @Option(names = "--dry-run", description = "print what a refresh would do; change nothing")
    private boolean dryRun;

    @Option(names = "--json", description = "print one JSON object per refresh")
    private boolean json;

    @Override
    public Integer call() throws InterruptedException {
        Azt3knetMailCommand top = Azt3knetMailCommand.parent(root, "dyndns");
        Duration interval = null;
        if (every != null) {
            interval = SettingsReader.parseDuration(every).filter(d -> d.compareTo(DesecSettings.MIN_DYNDNS_INTERVAL) >= 0)
                    .orElseThrow(() -> CliException.badInput("--every must be a duration of at least 1m, such as 30m or 24h, got '"
                            + every + "'"));
            if (dryRun) {
                throw CliException.badInput("--dry-run shows one refresh; leave out --every");
            }
        }
        ConfigSource config = top.config(sandbox.overrides(top.config(Map.of())));
        String domain;
        DnsManager manager;
        if (sandbox.enabled()) {
            domain = ProvisioningSettings.from(config).domain();
            manager = SandboxDnsManager.builder(sandbox.directory()).build();
        } else {
            DesecSettings settings = SandboxOptions.withSandboxHint(() -> DesecSettings.from(config));
            domain = settings.domain();
            manager = DesecDnsManager.builder(settings).build();
        }
        try (DnsManager dns = manager) {
            DynDnsScheduler.Builder scheduler = DynDnsScheduler.builder(dns, domain);
            if (interval == null) {
                DynDnsScheduler once = scheduler.build();
                print(top, domain, dryRun ? once.dryRun() : once.runOnce());
                return Azt3knetMailCommand.EXIT_OK;
            }
            CountDownLatch stop = new CountDownLatch(1);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                try {
                    stopped.await(35, TimeUnit.SECONDS); // let a refresh in flight finish
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "azt3knet-dyndns-stop"));
            try (DynDnsScheduler running = scheduler.interval(interval).listener(r -> print(top, domain, r)).build()
                    .start()) {
                top.err().printf("dyndns: refreshing %s every %s; Ctrl-C stops%n", domain, interval);
                top.err().flush();
                stop.await();
            } finally {
                stopped.countDown();
            }
            return Azt3knetMailCommand.EXIT_OK;
        }
    }

    private void print(Azt3knetMailCommand top, String domain, DynDnsOutcome r) {
        String ip = r.update().ipv4().map(Inet4Address::getHostAddress).orElse("-");
        if (json) {
            top.out().println(JsonLines.line(JsonLines.object().put("domain", domain).put("ipv4", ip)
                    .put("action", r.action().name().toLowerCase(Locale.ROOT))));
        } else {
            top.out().println(switch (r.action()) {
                case UPDATED -> domain + " -> " + ip + " (updated; IPv6 preserved)";
                case SKIPPED_UNCHANGED -> domain + " -> " + ip + " (unchanged, no update sent)";
                case PLANNED -> domain + " -> " + ip + " (would be updated; dry run, nothing sent)";
            });
        }
        top.out().flush();
    }
}
