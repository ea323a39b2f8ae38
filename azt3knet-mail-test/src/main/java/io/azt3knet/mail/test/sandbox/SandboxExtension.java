package io.azt3knet.mail.test.sandbox;

import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.inbox.MessageStore;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.MailboxRequest;
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
import java.util.Optional;
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
 * A JUnit 5 extension that gives each test a fresh, running {@link Sandbox} in its own temporary directory, stopped
 * and deleted after the test, in the manner of GreenMail's extension. Register it on a static field, or with
 * {@code @ExtendWith(SandboxExtension.class)} for the defaults, and take what the test needs as parameters:
 *
 * <pre>{@code
 * class OrchestratorMailTest {
 *     @RegisterExtension
 *     static final SandboxExtension SANDBOX = SandboxExtension.create();   // .perClass(), .withChaos(...), .withDomain(...)
 *
 *     @Test
 *     void agentsTalk(Sandbox sandbox, @SandboxMailbox("ada") MailboxCredentials ada,
 *             @SandboxMailbox("bob") MailboxCredentials bob, MessageStore inbox) {
 *         try (MailService smtp = sandbox.mailService(ada)) {                 // STARTTLS, AUTH as ada
 *             smtp.send(OutgoingMessage.builder().to(bob.address().value()).subject("Hi").text("Hello").build());
 *         }                                                                    // returns once bob's Maildir holds it
 *         StoredMessage got = inbox.waitFor(bob.address(), MessageMatch.any(), Duration.ofSeconds(5));
 *     }
 * }
 * }</pre>
 *
 * <p>Parameters it resolves, in tests and in {@code @BeforeEach}/{@code @AfterEach} methods (and in
 * {@code @BeforeAll}/{@code @AfterAll} methods with {@link #perClass()}): {@link Sandbox}; {@link MailAutomation}
 * (its provisioner and DNS manager, for the sandbox domain); {@link MessageStore} (every agent's inbox); and
 * {@link MailboxCredentials} annotated with {@link SandboxMailbox} (that agent's mailbox, created when missing).
 *
 * <p>{@link #perClass()} keeps one sandbox for all tests of the class (the class's tests then share mailboxes and
 * mail); {@link #withChaos(ChaosSettings)} switches on seeded trouble; {@link #withDomain(String)} picks the mail
 * domain. The per-class form needs a static field. The tests sharing one registration must not run in parallel with
 * each other ({@link #sandbox()} names one current sandbox); parameters are always the calling test's own sandbox.
 */
public final class SandboxExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    private final String domain;
    private final ChaosSettings chaos;
    private final boolean perClass;
    private final ExtensionContext.Namespace namespace;
    private volatile @Nullable Sandbox current;

    /** A fresh sandbox per test on {@value Sandbox#DEFAULT_DOMAIN}, without chaos (what {@code @ExtendWith} uses). */
    public SandboxExtension() {
        this(Sandbox.DEFAULT_DOMAIN, ChaosSettings.none(), false);
    }

    private SandboxExtension(String domain, ChaosSettings chaos, boolean perClass) {
        this.domain = domain;
        this.chaos = chaos;
        this.perClass = perClass;
        // one namespace per registration: two registrations in one class never see each other's sandbox
        this.namespace = ExtensionContext.Namespace.create(SandboxExtension.class, new Object());
    }

    /** @return an extension giving every test a fresh sandbox on {@value Sandbox#DEFAULT_DOMAIN}, without chaos */
    public static SandboxExtension create() {
        return new SandboxExtension();
    }

    /**
     * @param mailDomain the sandbox's mail domain, e.g. {@code agents.example.test}
     * @return a copy using that domain
     * @throws IllegalArgumentException when it is blank
     */
    public SandboxExtension withDomain(String mailDomain) {
        Objects.requireNonNull(mailDomain, "mailDomain");
        if (mailDomain.isBlank()) {
            throw new IllegalArgumentException("mailDomain is blank: give the sandbox's mail domain, e.g. agents.example.test");
        }
        return new SandboxExtension(mailDomain, chaos, perClass);
    }

    /**
     * @param settings seeded trouble (delays, duplicates, webhook 5xx, SMTP 4xx); the same seed replays the same run
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
     * @return the running sandbox of the current test (or class, with {@link #perClass()})
     * @throws IllegalStateException when none runs: outside a test, or the extension is not registered
     */
    public Sandbox sandbox() {
        Sandbox s = current;
        if (s == null) {
            throw new IllegalStateException("no sandbox runs now: use it inside a test, and register the extension "
                    + "with @RegisterExtension on a static field or with @ExtendWith");
        }
        return s;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (perClass) {
            start(context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass) {
            stop(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (!perClass) {
            start(context);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop(context);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == MailboxCredentials.class) {
            return parameter.isAnnotated(SandboxMailbox.class);
        }
        return type == Sandbox.class || type == MailAutomation.class || type == MessageStore.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Sandbox sandbox = running(context).orElseThrow(() -> new ParameterResolutionException("no sandbox runs for "
                + parameter.getDeclaringExecutable() + (perClass ? "" : ": a per-test sandbox starts before each test, "
                + "so @BeforeAll and @AfterAll methods cannot take it; use SandboxExtension.create().perClass()")));
        Class<?> type = parameter.getParameter().getType();
        if (type == Sandbox.class) {
            return sandbox;
        }
        if (type == MailAutomation.class) {
            return sandbox.automation();
        }
        if (type == MessageStore.class) {
            return sandbox.inbox();
        }
        String localPart = parameter.findAnnotation(SandboxMailbox.class).orElseThrow().value();
        MailboxAddress address;
        try {
            address = new MailboxAddress(localPart, sandbox.domain());
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException("@SandboxMailbox(\"" + localPart + "\") on "
                    + parameter.getDeclaringExecutable() + ": " + e.getMessage(), e);
        }
        return sandbox.provisioner().createMailbox(MailboxRequest.of(address)).credentials();
    }

    /** The sandbox of this context or of the nearest enclosing one (a per-class sandbox for a test method). */
    private Optional<Sandbox> running(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            Running r = c.getStore(namespace).get(Running.class, Running.class);
            if (r != null) {
                return Optional.of(r.sandbox);
            }
        }
        return Optional.empty();
    }

    private void start(ExtensionContext context) throws IOException {
        Path dir = Files.createTempDirectory("azt3knet-sandbox-");
        Sandbox sandbox;
        try {
            sandbox = Sandbox.builder(dir).domain(domain).chaos(chaos).start();
        } catch (RuntimeException e) {
            deleteRecursively(dir);
            throw e;
        }
        context.getStore(namespace).put(Running.class, new Running(sandbox, dir));
        current = sandbox;
    }

    private void stop(ExtensionContext context) {
        Running r = context.getStore(namespace).remove(Running.class, Running.class);
        if (r == null) {
            return;
        }
        if (current == r.sandbox) {
            current = null;
        }
        try {
            r.sandbox.close();
        } finally {
            deleteRecursively(r.directory);
        }
    }

    /** A started sandbox and the temporary directory it owns. */
    private record Running(Sandbox sandbox, Path directory) {
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
