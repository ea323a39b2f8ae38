package io.azt3knet.mail.examples.cli;

import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.MailException;
import io.azt3knet.mail.ManifestException;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.internal.util.LogText;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code azt3knet-mail} command line. Shared options ({@code --env-file}, {@code --help}) are declared
 * here and accepted before or after the subcommand; this class alone maps failures to exit codes. A new
 * subcommand is one more entry in {@code subcommands}: a picocli {@code Callable<Integer>} that gets this
 * command injected and uses {@link #in()}, {@link #out()} and {@link #config(Map)}, and simply throws on
 * failure:
 *
 * <pre>{@code
 * // annotated with picocli's Command(name = "dyndns", description = "...")
 * final class DynDnsCommand implements Callable<Integer> {
 *     private @ParentCommand Azt3knetMailCommand root;
 *     public Integer call() {
 *         DesecSettings settings = DesecSettings.from(root.config(Map.of()));  // ConfigurationException -> 2
 *         try (DesecDnsManager dns = DesecDnsManager.builder(settings).build()) {
 *             DynDnsScheduler.builder(dns, settings.domain()).build().runOnce();  // MailException -> 1
 *         }
 *         return Azt3knetMailCommand.EXIT_OK;
 *     }
 * }
 * }</pre>
 *
 * <p>Exit codes: {@value #EXIT_OK} success; {@value #EXIT_FAILED} an operation failed
 * ({@link MailException}, I/O); {@value #EXIT_USAGE} bad usage, input or configuration
 * ({@link ConfigurationException}, listing every problem; {@link ManifestException}; an
 * {@link IllegalArgumentException} from a builder that refused a value given on the command line). Every failure
 * prints its message on standard error.
 */
@Command(name = "azt3knet-mail",
        scope = ScopeType.INHERIT,
        description = "Real e-mail identities for software agents.",
        subcommands = {NameCommand.class, PopulateCommand.class, DnsBootstrapCommand.class, DynDnsCommand.class,
            SendCommand.class, InboundServerCommand.class, InboxCommand.class, SandboxCommand.class,
            DemoCommand.class, RoutesCommand.class, RetireCommand.class, MailboxesCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the operation failed", "2:bad usage, input or configuration"})
public final class Azt3knetMailCommand implements Callable<Integer> {

    /** Exit code: success. */
    public static final int EXIT_OK = 0;
    /** Exit code: the operation failed. */
    public static final int EXIT_FAILED = 1;
    /** Exit code: bad usage, input or configuration. */
    public static final int EXIT_USAGE = 2;

    @Option(names = "--env-file", paramLabel = "<file>", scope = ScopeType.INHERIT,
            description = ".env file to read configuration from (default: ./.env when present); "
                    + "system properties and environment variables take precedence")
    private @Nullable Path envFile;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help")
    private boolean help;

    @Spec
    private @Nullable CommandSpec spec;

    private final CliEnvironment environment;

    private Azt3knetMailCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(CliEnvironment.system(), args)); // the library names Jakarta Mail's stream provider itself
    }

    /**
     * Runs one command line.
     *
     * @param environment the streams and environment variables
     * @param args the arguments, e.g. {@code name --seed 42}
     * @return the exit code
     */
    public static int run(CliEnvironment environment, String... args) {
        try {
            return commandLine(environment).execute(args);
        } finally {
            environment.out().flush();
            environment.err().flush();
        }
    }

    /**
     * @param environment the streams and environment variables
     * @return the command line, wired to them, with the exit-code mapping installed
     */
    public static CommandLine commandLine(CliEnvironment environment) {
        CommandLine commandLine = new CommandLine(new Azt3knetMailCommand(environment));
        commandLine.setOut(environment.out());
        commandLine.setErr(environment.err());
        commandLine.setExecutionExceptionHandler(Azt3knetMailCommand::handleFailure);
        return commandLine;
    }

    /** Without a subcommand: a usage error. */
    @Override
    public Integer call() {
        CommandSpec s = spec;
        throw new ParameterException(s == null ? new CommandLine(this) : s.commandLine(), "Missing command");
    }

    /** @return standard input, for subcommands */
    public InputStream in() {
        return environment.in();
    }

    /**
     * @param root a subcommand's {@code @ParentCommand} field
     * @param command the subcommand's name, for the message
     * @return the parent command, which picocli always injects when a subcommand runs through it
     */
    static Azt3knetMailCommand parent(@Nullable Azt3knetMailCommand root, String command) {
        if (root == null) {
            throw new IllegalStateException(command + " runs as a subcommand of azt3knet-mail");
        }
        return root;
    }

    /** @return standard error, for subcommands' progress and summaries */
    public PrintWriter err() {
        return environment.err();
    }

    /** @return whether the process runs on a terminal (progress bars) rather than in a test or a pipe */
    public boolean isInteractive() {
        return environment.in() == System.in && System.console() != null;
    }

    /** @return standard output, for subcommands; flushed when the command ends */
    public PrintWriter out() {
        return environment.out();
    }

    /**
     * The configuration: the given overrides (from command-line options), then system properties,
     * environment variables and the {@code .env} file.
     *
     * @param overrides variable values that win over every other source, e.g. {@code DESEC_DOMAIN} from
     *     {@code --domain}
     * @return the source
     * @throws ConfigurationException if {@code --env-file} names a missing or malformed file
     */
    public ConfigSource config(Map<String, String> overrides) {
        ConfigSource.Builder builder = ConfigSource.builder().environment(environment.environment()).putAll(overrides);
        Path file = envFile;
        if (file != null) {
            builder.dotEnv(file);
        }
        return builder.build();
    }

    private static int handleFailure(Exception e, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        String prefix = commandLine.getCommandSpec().qualifiedName() + ": ";
        int code;
        if (e instanceof CliException cli) {
            err.println(prefix + cli.getMessage());
            code = cli.exitCode();
        } else if (e instanceof ConfigurationException || e instanceof ManifestException) {
            err.println(prefix + e.getMessage());
            code = EXIT_USAGE;
        } else if (e instanceof MailException) {
            err.println(prefix + e.getMessage());
            code = EXIT_FAILED;
        } else if (e instanceof IllegalArgumentException) {
            // a value the command passed on unchecked and a builder refused: still the user's input
            err.println(prefix + "invalid input: " + LogText.escape(e.getMessage()));
            code = EXIT_USAGE;
        } else if (e instanceof IOException || e instanceof UncheckedIOException) {
            err.println(prefix + "I/O error: " + e.getMessage());
            code = EXIT_FAILED;
        } else {
            err.println(prefix + "unexpected error, please report it: " + e);
            e.printStackTrace(err);
            code = EXIT_FAILED;
        }
        err.flush();
        return code;
    }
}
