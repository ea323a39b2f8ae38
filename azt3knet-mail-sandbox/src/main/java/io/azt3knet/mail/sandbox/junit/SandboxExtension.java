package io.azt3knet.mail.sandbox.junit;

import io.azt3knet.mail.sandbox.ChaosSettings;
import io.azt3knet.mail.sandbox.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives each test a fresh, running {@link Sandbox} in a temporary directory (deleted
 * afterwards), in the manner of GreenMail's extension: register it on a static field and use it, or take the
 * sandbox as a test parameter.
 *
 * <pre>{@code
 * class OrchestratorMailTest {
 *     @RegisterExtension
 *     static final SandboxExtension SANDBOX = SandboxExtension.create();
 *
 *     @Test
 *     void agentsTalk(Sandbox sandbox) {
 *         MailboxCredentials ada = sandbox.provisioner().createMailbox(MailboxRequest.of(adaAddress)).credentials();
 *         try (MailService smtp = sandbox.mailService(ada)) {
 *             smtp.send(OutgoingMessage.builder().to(bobAddress.value()).subject("Hi").text("Hello").build());
 *         }
 *     }
 * }
 * }</pre>
 *
 * {@link #perClass()} keeps one sandbox for all tests of the class; {@link #withChaos(ChaosSettings)} switches on
 * seeded trouble. Tests of one class using one registration must not run in parallel with each other.
 */
public final class SandboxExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    private final String domain;
    private final ChaosSettings chaos;
    private final boolean perClass;
    private @Nullable Sandbox sandbox;
    private @Nullable Path directory;

    /** A fresh sandbox per test, default domain, no chaos (the form {@code @ExtendWith} uses). */
    public SandboxExtension() {
        this(Sandbox.DEFAULT_DOMAIN, ChaosSettings.none(), false);
    }

    private SandboxExtension(String domain, ChaosSettings chaos, boolean perClass) {
        this.domain = domain;
        this.chaos = chaos;
        this.perClass = perClass;
    }

    /** @return an extension giving every test a fresh sandbox on {@value Sandbox#DEFAULT_DOMAIN}, without chaos */
    public static SandboxExtension create() {
        return new SandboxExtension();
    }

    /**
     * @param mailDomain the sandbox's mail domain
     * @return a copy using that domain
     */
    public SandboxExtension withDomain(String mailDomain) {
        return new SandboxExtension(Objects.requireNonNull(mailDomain, "mailDomain"), chaos, perClass);
    }

    /**
     * @param settings seeded trouble (delays, duplicates, webhook 5xx, SMTP 4xx)
     * @return a copy with that chaos
     */
    public SandboxExtension withChaos(ChaosSettings settings) {
        return new SandboxExtension(domain, Objects.requireNonNull(settings, "settings"), perClass);
    }

    /** @return a copy that starts one sandbox before all tests of the class and stops it after them */
    public SandboxExtension perClass() {
        return new SandboxExtension(domain, chaos, true);
    }

    /**
     * @return the running sandbox of the current test
     * @throws IllegalStateException outside a test
     */
    public Sandbox sandbox() {
        Sandbox s = sandbox;
        if (s == null) {
            throw new IllegalStateException("no sandbox runs now: use it inside a test, and register the extension "
                    + "with @RegisterExtension or @ExtendWith");
        }
        return s;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (perClass) {
            start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass) {
            stop();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Sandbox.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Sandbox s = sandbox;
        if (s == null) {
            throw new ParameterResolutionException("no sandbox runs for " + parameter.getDeclaringExecutable());
        }
        return s;
    }

    private void start() throws IOException {
        Path dir = Files.createTempDirectory("azt3knet-sandbox-");
        directory = dir;
        sandbox = Sandbox.builder(dir).domain(domain).chaos(chaos).start();
    }

    private void stop() {
        Sandbox s = sandbox;
        Path dir = directory;
        sandbox = null;
        directory = null;
        try {
            if (s != null) {
                s.close();
            }
        } finally {
            if (dir != null) {
                deleteRecursively(dir);
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, @Nullable IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the test sandbox " + dir, e);
        }
    }
}
