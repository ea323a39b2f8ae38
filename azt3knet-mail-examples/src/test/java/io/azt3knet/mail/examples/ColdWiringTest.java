package io.azt3knet.mail.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Wiring the providers from configuration builds nothing heavy before the first request: in a fresh JVM,
 * {@code MailAutomation.fromConfiguration} loads neither the JDK HTTP client with its TLS context, nor Jackson's
 * mapper, nor ICU; and it still refuses a wrong configuration at once, naming every
 * problem. What the JVM loads is read from its own class-loading log, so the test does not depend on timing.
 */
class ColdWiringTest {

    @Test
    void wiringFromConfigurationChecksEverythingButBuildsNoHttpClientMapperOrTransliterator()
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xlog:class+load=info", "-cp",
                System.getProperty("java.class.path"), ColdWiringProbe.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }

        assertThat(done).as("probe finished").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("PROBE refused:", "MAILJET_INBOUND_URL", "DESEC_API_URL")
                .contains("PROBE built: MailAutomation[domain=agents.example.org, provisioner=mailjet, dns=desec, concurrency=16]")
                .doesNotContain("PROBE built with mistakes");
        // the log names every class as it is loaded: these are what a first request loads
        assertThat(out).as("the JDK HTTP client and TLS")
                .doesNotContain(" jdk.internal.net.http.HttpClientImpl ")
                .doesNotContain(" sun.security.ssl.SSLContextImpl ");
        assertThat(out).as("a Jackson mapper").doesNotContain(" com.fasterxml.jackson.databind.json.JsonMapper ")
                .doesNotContain(" com.fasterxml.jackson.databind.ser.BeanSerializerFactory ");
        assertThat(out).as("ICU").doesNotContain(" com.ibm.icu.");
    }
}
