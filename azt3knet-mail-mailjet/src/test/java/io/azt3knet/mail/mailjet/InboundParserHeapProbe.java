package io.azt3knet.mail.mailjet;

import io.azt3knet.mail.inbound.InboundMessage;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Measures the heap {@link MailjetInboundParser} needs for a payload with one large attachment: run it with a
 * small {@code -Xmx} to prove the bound, e.g.
 * {@code java -Xmx80m -cp <test classpath> io.azt3knet.mail.mailjet.InboundParserHeapProbe 20}. Prints the
 * attachment size, the payload size and the peak heap used (sum of the heap pools' peaks: an upper bound that
 * includes garbage not yet collected) and exits 0 when the attachment was decoded completely.
 */
public final class InboundParserHeapProbe {

    private InboundParserHeapProbe() {
    }

    /**
     * @param args the attachment size in MiB (default 20)
     */
    public static void main(String[] args) {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 20;
        long bytes = mib * 1024 * 1024;
        GeneratedPayload payload = GeneratedPayload.withAttachment(bytes);
        System.gc();
        long before = heapUsed();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);

        InboundMessage m = MailjetInboundParser.create().parse(payload);

        long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        int decoded = m.attachments().get(0).size();
        System.out.printf("attachment=%d bytes payload=%d bytes heapBefore=%.1f MiB peakHeap=%.1f MiB "
                + "(%.2fx the attachment) maxHeap=%.0f MiB%n", decoded, payload.length(), before / 1048576.0,
                peak / 1048576.0, (double) peak / bytes, Runtime.getRuntime().maxMemory() / 1048576.0);
        if (decoded != bytes) {
            System.exit(1);
        }
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
