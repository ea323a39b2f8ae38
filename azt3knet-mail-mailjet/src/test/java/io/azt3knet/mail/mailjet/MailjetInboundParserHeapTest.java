package io.azt3knet.mail.mailjet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Proves the parser's memory bound: a payload with a 20 MiB attachment (28 MB of JSON) is parsed in a JVM whose
 * whole heap is 64 MiB, about three times the attachment, and the measured peak stays under 3x.
 */
class MailjetInboundParserHeapTest {

    @Test
    void twentyMegabyteAttachmentIsParsedWithinSixtyFourMegabytesOfHeap() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), InboundParserHeapProbe.class.getName(), "20")
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(done).as("probe finished").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("attachment=20971520 bytes");
        Matcher m = Pattern.compile("\\(([0-9.]+)x the attachment\\)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as(out).isLessThan(3.0);
        System.out.println(List.of(out.strip()));
    }
}
