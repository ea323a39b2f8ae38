package io.azt3knet.mail.naming;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ICU's transliterator, most of a second to load, is loaded by the first name in a script the namer has no table
 * for, never before: Latin, Cyrillic and Greek names never pay for it. Read from a fresh JVM's class-loading log,
 * so the test does not depend on timing.
 */
class IcuOnlyWhenNeededTest {

    @Test
    void latinCyrillicAndGreekNamesNeverLoadIcuAndTheFirstChineseNameDoes() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"),
                IcuLoadProbe.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }

        assertThat(done).as("probe finished").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("PROBE latin: jane.doe.942.20241005123045@agents.example.org "
                        + "zoe.orstedmuller.", "PROBE cyrillic and greek: yuliya.zhukova.", " giorgos.papadopoulos.")
                .contains("PROBE chinese: wei.wang.");
        int chinese = out.indexOf("PROBE now chinese");
        int firstIcuClass = out.indexOf(" com.ibm.icu.");
        assertThat(firstIcuClass).as("ICU is loaded for the Chinese name").isPositive();
        assertThat(firstIcuClass).as("no ICU class before the first Chinese name").isGreaterThan(chinese);
    }
}
