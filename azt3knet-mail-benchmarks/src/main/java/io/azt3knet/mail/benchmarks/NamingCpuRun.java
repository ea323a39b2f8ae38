package io.azt3knet.mail.benchmarks;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.naming.MailboxNamer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The populations of {@link NamingMixBenchmark}, timed by the CPU time of the naming thread rather than by the
 * wall clock: on a machine shared with other work, the wall clock counts the time the thread waited for a core,
 * the CPU time does not. The result is nanoseconds of one core per name, and names per second per core. On a
 * virtual machine whose host is busy the CPU time still grows (a preempted virtual CPU keeps counting), so each
 * population is timed apart and both the fastest and the median population are shown: the fastest is the cost with
 * the least interference, the median what a busy machine gives.
 *
 * <pre>
 * java -cp azt3knet-mail-benchmarks/target/benchmarks.jar io.azt3knet.mail.benchmarks.NamingCpuRun [warm-up populations] [measured populations] [mix...]
 * </pre>
 *
 * Defaults: 20 warm-up and 30 measured populations of 10,000 agents for every mix. Run one mix per JVM for figures
 * that do not depend on what ran before.
 */
public final class NamingCpuRun {

    private static final List<String> MIXES = List.of("ascii", "accentedLatin", "cyrillic", "cjk", "cjkRare", "realistic");

    private NamingCpuRun() {
    }

    /**
     * @param args warm-up populations, measured populations, then the mixes (all when none)
     */
    public static void main(String[] args) {
        int warmUp = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        List<String> mixes = args.length > 2 ? Arrays.asList(args).subList(2, args.length) : MIXES;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (String mix : mixes) {
            List<AgentIdentity> agents = NamingMixBenchmark.population(mix, NamingMixBenchmark.POPULATION);
            for (int i = 0; i < warmUp; i++) {
                sink += namePopulation(agents);
            }
            long[] cpuPerName = new long[measured];
            long wallStart = System.nanoTime();
            for (int i = 0; i < measured; i++) {
                long cpu = threads.getCurrentThreadCpuTime();
                sink += namePopulation(agents);
                cpuPerName[i] = (threads.getCurrentThreadCpuTime() - cpu) / agents.size();
            }
            double wallPerName = (System.nanoTime() - wallStart) / (double) measured / agents.size();
            Arrays.sort(cpuPerName);
            long median = cpuPerName[measured / 2];
            long fastest = cpuPerName[0];
            System.out.printf(Locale.ROOT, "%-14s CPU per name: fastest %,7d ns (%,10.0f names/s per core), median %,7d ns"
                    + " (%,10.0f/s), slowest %,7d ns; wall %,8.0f ns/name%n", mix, fastest, 1e9 / fastest, median,
                    1e9 / median, cpuPerName[measured - 1], wallPerName);
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    private static long namePopulation(List<AgentIdentity> agents) {
        MailboxNamer namer = MailboxNamer.standard().domain("agents.example.org").seed(42)
                .clock(new NamingMixBenchmark.TickingClock()).build();
        long sum = 0;
        for (AgentIdentity agent : agents) {
            MailboxAddress address = namer.name(agent);
            sum += address.localPart().length();
        }
        return sum;
    }
}
