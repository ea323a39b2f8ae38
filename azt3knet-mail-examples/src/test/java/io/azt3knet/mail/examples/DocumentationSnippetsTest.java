package io.azt3knet.mail.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java snippet of the documentation compiles against the library as built: the {@code ```java} blocks of
 * README.md and the {@code <pre>{@code ...}</pre>} blocks of the Javadoc of the main sources of every module on this
 * module's class path. Each
 * snippet becomes the body of a method (or, when it declares a class, a member of a class) that sees the
 * library's packages and a few well-known variables ({@link #CONTEXT}: {@code agents}, {@code credentials},
 * {@code handler}, ...), so that a snippet may use them without declaring them. A snippet that does not compile
 * fails the build, with its file and line.
 */
class DocumentationSnippetsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static final Pattern README_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern JAVADOC_BLOCK = Pattern.compile("<pre>\\{@code\\n(.*?)\\n\\s*\\*\\s*}</pre>",
            Pattern.DOTALL);
    private static final Pattern JAVADOC_MARGIN = Pattern.compile("(?m)^\\s*\\* ?");
    private static final Pattern TYPE_DECLARATION = Pattern.compile(
            "(?s)^(\\s*//[^\\n]*\\n)*\\s*(@\\w+\\s+)*((public|final|abstract|static)\\s+)*(class|record|interface|enum)\\s");

    /** The variables snippets may use without declaring them. */
    static final String CONTEXT = """
            abstract class SnippetContext {
                interface EventStore { boolean insertIfAbsent(String key, InboundMessage message); }
                static List<AgentIdentity> agents;
                static ProvisioningListener listener;
                static MailAutomation mail;
                static MailboxCredentials credentials;
                static MailjetSettings mailjetSettings;
                static DesecSettings desecSettings;
                static MailboxProvisioner provisioner;
                static DnsManager dnsManager;
                static DesecDnsManager desecDnsManager;
                static DomainRequirements requirements;
                static String domain;
                static Inet4Address publicIpv4;
                static DesiredDns desired;
                static List<DnsRecordSet> liveRecordSets;
                static ConfigSource source;
                static InboundWebhookHandler handler;
                static WebhookRequest request;
                static InputStream body;
                static EventStore eventStore;
                static MailjetClient client;
                static byte[] chartPng;
                static byte[] reportPdf;
                static Runnable application;
                static MailboxAddress address;
                static MailboxAddress adaAddress;
                static MailboxAddress bobAddress;
                static MessageStore inbox;
                static FakeDesec fakeDesec;
                static InetSocketAddress proxyAddress;
            }
            """;

    private static final List<String> IMPORTS = List.of("java.io.*", "java.net.*", "java.net.http.*", "java.nio.file.*",
            "java.time.*", "java.util.*", "java.util.concurrent.*", "picocli.CommandLine.*",
            "com.github.tomakehurst.wiremock.WireMockServer", "org.junit.jupiter.api.Test",
            "org.junit.jupiter.api.extension.RegisterExtension", "org.junit.jupiter.api.extension.ExtendWith");

    record Snippet(Path file, int line, String code) {
        String origin() {
            return ROOT.relativize(file) + ":" + line;
        }
    }

    /**
     * The modules whose snippets can be compiled here: every module of the build whose classes are on this test's
     * class path (this module depends on every library module).
     */
    private static List<String> modules(String classpath) throws IOException {
        List<String> entries = List.of(classpath.split(java.io.File.pathSeparator));
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(d -> Files.isDirectory(d.resolve("src/main/java")))
                    .map(d -> d.getFileName().toString())
                    .filter(m -> entries.stream().anyMatch(e -> Path.of(e).toAbsolutePath().normalize()
                            .startsWith(ROOT.resolve(m).resolve("target")) || Path.of(e).getFileName().toString()
                            .startsWith(m + "-")))
                    .sorted().toList();
        }
    }

    @Test
    void everyReadmeAndJavadocSnippetCompiles(@TempDir Path out) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> modules = modules(classpath);
        assertThat(modules).contains("azt3knet-mail-core", "azt3knet-mail-mailjet", "azt3knet-mail-desec",
                "azt3knet-mail-sandbox", "azt3knet-mail-test", "azt3knet-mail-test-providers", "azt3knet-mail-examples");
        List<Snippet> snippets = new ArrayList<>(readmeSnippets(ROOT.resolve("README.md")));
        int fromReadme = snippets.size();
        for (String module : modules) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    snippets.addAll(javadocSnippets(f));
                }
            }
        }
        assertThat(fromReadme).as("java blocks in README.md").isGreaterThanOrEqualTo(2);
        assertThat(snippets.size() - fromReadme).as("Javadoc snippets").isGreaterThanOrEqualTo(20);

        String imports = imports(modules);
        List<JavaFileObject> units = new ArrayList<>();
        units.add(source("SnippetContext", "package snippets;\n" + imports + CONTEXT, 0));
        int headerLines = (int) ("package snippets;\n" + imports).lines().count() + 3;
        for (int i = 0; i < snippets.size(); i++) {
            Snippet s = snippets.get(i);
            String name = "Snippet" + i;
            String body = TYPE_DECLARATION.matcher(s.code()).lookingAt()
                    ? s.code()
                    : "static void run() throws Exception {\n" + s.code() + "\n}";
            int offset = TYPE_DECLARATION.matcher(s.code()).lookingAt() ? headerLines : headerLines + 1;
            units.add(source(name, "package snippets;\n" + imports + "@SuppressWarnings(\"all\")\n// " + s.origin()
                    + "\nfinal class " + name + " extends SnippetContext {\n" + body + "\n}\n", offset));
        }

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean ok = javac.getTask(null, null, diagnostics, List.of("-classpath", classpath, "-d", out.toString(),
                "-proc:none", "--release", "17"), null, units).call();

        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            String unit = d.getSource() == null ? "?" : d.getSource().getName();
            Matcher m = Pattern.compile("Snippet(\\d+)").matcher(unit);
            if (m.find()) {
                Snippet s = snippets.get(Integer.parseInt(m.group(1)));
                long line = s.line() + d.getLineNumber() - ((NamedSource) d.getSource()).offset - 1;
                errors.add(ROOT.relativize(s.file()) + ":" + line + ": " + d.getMessage(Locale.ROOT));
            } else {
                errors.add(unit + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
            }
        }
        assertThat(errors).as("snippets that do not compile (file:line: error)").isEmpty();
        assertThat(ok).isTrue();
    }

    static List<Snippet> readmeSnippets(Path readme) throws IOException {
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        List<Snippet> out = new ArrayList<>();
        Matcher m = README_BLOCK.matcher(text);
        while (m.find()) {
            int line = (int) text.substring(0, m.start(1)).lines().count() + 1;
            out.add(new Snippet(readme, line, m.group(1)));
        }
        return out;
    }

    static List<Snippet> javadocSnippets(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Snippet> out = new ArrayList<>();
        Matcher m = JAVADOC_BLOCK.matcher(text);
        while (m.find()) {
            int line = (int) text.substring(0, m.start(1)).lines().count() + 1;
            out.add(new Snippet(file, line, JAVADOC_MARGIN.matcher(m.group(1)).replaceAll("")));
        }
        return out;
    }

    /** Every package of the library's main sources, and a few of the JDK's. */
    private static String imports(List<String> modules) throws IOException {
        TreeSet<String> packages = new TreeSet<>();
        for (String module : modules) {
            Path src = ROOT.resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(src)) {
                files.filter(p -> p.toString().endsWith(".java") && !p.getFileName().toString().contains("-"))
                        .map(p -> src.relativize(p.getParent()).toString().replace('/', '.'))
                        .forEach(packages::add);
            }
        }
        StringBuilder sb = new StringBuilder();
        packages.forEach(p -> sb.append("import ").append(p).append(".*;\n"));
        IMPORTS.forEach(p -> sb.append("import ").append(p).append(";\n"));
        return sb.toString();
    }

    private static JavaFileObject source(String name, String code, int offset) {
        return new NamedSource(name, code, offset);
    }

    private static final class NamedSource extends SimpleJavaFileObject {
        private final String code;
        final int offset;

        NamedSource(String name, String code, int offset) {
            super(URI.create("string:///snippets/" + name + ".java"), Kind.SOURCE);
            this.code = code;
            this.offset = offset;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
