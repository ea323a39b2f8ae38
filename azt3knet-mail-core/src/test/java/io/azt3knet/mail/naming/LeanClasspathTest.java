package io.azt3knet.mail.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * README's "Naming and DNS helpers only": with core's other dependencies excluded (Jackson, Jetty, dotenv,
 * Jakarta Mail, Angus), naming in every script and DNS planning with the SPF merge still work.
 */
class LeanClasspathTest {

    private static final List<String> KEPT = List.of("icu4j", "slf4j-api", "jspecify");

    @Test
    void namingAndDnsPlanningNeedOnlyCoreIcuSlf4jAndJspecify() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName().toString();
            boolean classesDir = p.endsWith(Path.of("target", "classes")) || p.endsWith(Path.of("target", "test-classes"));
            if (classesDir || KEPT.stream().anyMatch(k -> name.startsWith(k + "-"))) {
                urls.add(p.toUri().toURL());
            }
        }
        assertThat(urls).hasSize(2 + KEPT.size());
        try (URLClassLoader lean = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            for (String absent : Arrays.asList("com.fasterxml.jackson.databind.ObjectMapper", "org.eclipse.jetty.server.Server",
                    "io.github.cdimascio.dotenv.Dotenv", "jakarta.mail.Session", "org.eclipse.angus.mail.smtp.SMTPTransport",
                    "org.assertj.core.api.Assertions")) {
                assertThatThrownBy(() -> Class.forName(absent, false, lean)).as(absent)
                        .isInstanceOf(ClassNotFoundException.class);
            }
            @SuppressWarnings("unchecked")
            Supplier<String> usage = (Supplier<String>) Class.forName(LeanUsage.class.getName(), true, lean)
                    .getConstructor().newInstance();
            assertThat(usage.getClass().getClassLoader()).isSameAs(lean);

            String result = usage.get();

            assertThat(result).contains("zoe.muller.", "anna.ivanova.", "wei.wang.", "@agents.example.org")
                    .contains("v=spf1 include:_spf.google.com include:spf.mailjet.com ~all");
        }
    }
}
