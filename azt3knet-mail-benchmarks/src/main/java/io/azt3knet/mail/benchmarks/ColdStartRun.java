package io.azt3knet.mail.benchmarks;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.config.ProvisioningSettings;
import io.azt3knet.mail.desec.DesecDnsManager;
import io.azt3knet.mail.desec.DesecSettings;
import io.azt3knet.mail.mailjet.MailjetProvisioner;
import io.azt3knet.mail.mailjet.MailjetSettings;
import io.azt3knet.mail.naming.MailboxNamer;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;

/**
 * What a cold JVM spends before the first useful call. Run each case in a fresh JVM:
 *
 * <pre>
 * java -cp azt3knet-mail-benchmarks/target/benchmarks.jar io.azt3knet.mail.benchmarks.ColdStartRun name-ascii
 * ... ColdStartRun name-cyrillic | name-cjk | from-configuration | wiring-steps
 * </pre>
 *
 * {@code name-*} time the first {@code name()} call of a fresh JVM; {@code from-configuration} times
 * {@code MailAutomation.fromConfiguration} (Mailjet and deSEC modules, no network); {@code wiring-steps} times the
 * same wiring step by step, each step paying for the classes it is the first to load.
 *
 * <p>Each line shows the wall time, the CPU time of the main thread (what the step costs whatever else the machine
 * is doing; JIT compiler and GC threads not counted) and the number of classes the step loaded (which does not
 * depend on the machine at all). The management beans that read these are set up before the clock starts; they
 * load a few hundred JDK classes of their own that the steps then find loaded.
 */
public final class ColdStartRun {

    private static final Map<String, String> CONFIG = Map.of(
            "DESEC_DOMAIN", "agents.example.org", "DESEC_TOKEN", "token-0123456789abcdef",
            "MAILJET_API_KEY", "key123", "MAILJET_API_SECRET", "secret456",
            "MAILJET_INBOUND_URL", "https://hooks.example.org/mailjet/inbound");

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();

    private ColdStartRun() {
    }

    /** Wall time, main-thread CPU time and classes loaded so far. */
    private record Mark(long wall, long cpu, long classes) {
        static Mark now() {
            return new Mark(System.nanoTime(), THREADS.getCurrentThreadCpuTime(), CLASSES.getTotalLoadedClassCount());
        }
    }

    /**
     * @param args one case: {@code name-ascii}, {@code name-cyrillic}, {@code name-cjk}, {@code from-configuration}
     *     or {@code wiring-steps}
     */
    public static void main(String[] args) {
        String which = args.length == 0 ? "from-configuration" : args[0];
        Mark start = Mark.now();
        switch (which) {
            case "name-ascii" -> name(AgentIdentity.of("Jane", "Doe"), start);
            case "name-cyrillic" -> name(AgentIdentity.of("Анна", "Иванова"), start);
            case "name-cjk" -> name(AgentIdentity.of("伟", "王"), start);
            case "from-configuration" -> {
                try (MailAutomation mail = MailAutomation.fromConfiguration(ConfigSource.of(CONFIG))) {
                    report("MailAutomation.fromConfiguration", start);
                    System.out.println("  (" + mail + ")");
                }
            }
            case "wiring-steps" -> wiringSteps();
            default -> throw new IllegalArgumentException("unknown case " + which);
        }
    }

    private static void name(AgentIdentity agent, Mark start) {
        MailboxNamer namer = MailboxNamer.standard().domain("agents.example.org").seed(42)
                .clock(Clock.fixed(Instant.parse("2024-10-05T12:30:45Z"), ZoneOffset.UTC)).build();
        String address = namer.name(agent).value();
        report("first name() " + address, start);
        Mark second = Mark.now();
        namer.name(agent);
        report("second name()", second);
    }

    private static void wiringSteps() {
        Mark t = Mark.now();
        ConfigSource source = ConfigSource.of(CONFIG);
        t = report("ConfigSource", t);
        ProvisioningSettings settings = ProvisioningSettings.from(source);
        t = report("ProvisioningSettings.from", t);
        MailjetSettings mailjetSettings = MailjetSettings.from(source);
        t = report("MailjetSettings.from", t);
        MailjetProvisioner mailjet = MailjetProvisioner.builder(mailjetSettings).build();
        t = report("MailjetProvisioner (HTTP client, JSON mapper, pacer)", t);
        DesecSettings desecSettings = DesecSettings.from(source);
        t = report("DesecSettings.from", t);
        DesecDnsManager desec = DesecDnsManager.builder(desecSettings).build();
        t = report("DesecDnsManager (HTTP client, JSON mapper, pacer)", t);
        try (MailAutomation mail = MailAutomation.builder().settings(settings).provisioner(mailjet).dnsManager(desec)
                .build()) {
            report("MailAutomation.builder().build()", t);
        }
    }

    private static Mark report(String what, Mark since) {
        Mark now = Mark.now();
        System.out.printf(Locale.ROOT, "%-55s %8.1f ms wall %8.1f ms CPU %6d classes%n", what,
                (now.wall() - since.wall()) / 1e6, (now.cpu() - since.cpu()) / 1e6, now.classes() - since.classes());
        return Mark.now();
    }
}
