package io.azt3knet.mail.examples.cli;

import io.azt3knet.mail.dns.DynDnsScheduler;
import io.azt3knet.mail.config.SettingsReader;
import io.azt3knet.mail.desec.DesecDnsManager;
import io.azt3knet.mail.desec.DesecSettings;
import io.azt3knet.mail.dns.DynDnsOutcome;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code azt3knet-mail dyndns}: points the domain's DynDNS address at this machine's public IPv4 (IPv6 is
 * preserved), once or every {@code --every}; stops cleanly on Ctrl-C.
 */
@Command(name = "dyndns",
        description = {"Refresh the domain's DynDNS address with this machine's public IPv4 (IPv6 preserved).",
            "Once by default; with --every, keep refreshing (updates only when the address changed)."})
final class DynDnsCommand implements Callable<Integer> {

    @ParentCommand
    private @Nullable Azt3knetMailCommand root;

    @Option(names = "--every", paramLabel = "<duration>",
            description = "keep refreshing at this interval, e.g. 24h, 30m (at least 1m); runs until Ctrl-C")
    private @Nullable String every;

    @Override
    public Integer call() throws InterruptedException {
        Azt3knetMailCommand top = Azt3knetMailCommand.parent(root, "dyndns");
        Duration interval = null;
        if (every != null) {
            interval = SettingsReader.parseDuration(every).filter(d -> d.compareTo(DesecSettings.MIN_DYNDNS_INTERVAL) >= 0)
                    .orElseThrow(() -> CliException.badInput("--every must be a duration of at least 1m, such as 30m or 24h, got '"
                            + every + "'"));
        }
        DesecSettings settings = DesecSettings.from(top.config(Map.of()));
        try (DesecDnsManager dns = DesecDnsManager.builder(settings).build()) {
            if (interval == null) {
                DynDnsOutcome result = DynDnsScheduler.builder(dns, settings.domain()).build().runOnce();
                top.out().println(describe(settings.domain(), result));
                top.out().flush();
                return Azt3knetMailCommand.EXIT_OK;
            }
            CountDownLatch stop = new CountDownLatch(1);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                try {
                    stopped.await(35, java.util.concurrent.TimeUnit.SECONDS); // let a refresh in flight finish
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "azt3knet-dyndns-stop"));
            try (DynDnsScheduler scheduler = DynDnsScheduler.builder(dns, settings.domain()).interval(interval)
                    .listener(r -> {
                        top.out().println(describe(settings.domain(), r));
                        top.out().flush();
                    }).build().start()) {
                top.err().printf("dyndns: refreshing %s every %s; Ctrl-C stops%n", settings.domain(), interval);
                top.err().flush();
                stop.await();
            } finally {
                stopped.countDown();
            }
            return Azt3knetMailCommand.EXIT_OK;
        }
    }

    private static String describe(String domain, DynDnsOutcome r) {
        String ip = r.update().ipv4().map(Inet4Address::getHostAddress).orElse("-");
        return switch (r.outcome()) {
            case UPDATED -> domain + " -> " + ip + " (updated; IPv6 preserved)";
            case SKIPPED_UNCHANGED -> domain + " -> " + ip + " (unchanged, no update sent)";
        };
    }
}
