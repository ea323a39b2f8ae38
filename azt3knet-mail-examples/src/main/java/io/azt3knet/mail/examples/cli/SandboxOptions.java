package io.azt3knet.mail.examples.cli;

import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.config.ProvisioningSettings;
import io.azt3knet.mail.sandbox.RunningSandbox;
import io.azt3knet.mail.sandbox.Sandbox;
import io.azt3knet.mail.sandbox.SandboxDnsManager;
import io.azt3knet.mail.sandbox.SandboxMailboxProvisioner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * {@code --sandbox} and {@code --sandbox-dir}, shared by every command that talks to a provider (a picocli mixin).
 * The sandbox is used only when asked for: without {@code --sandbox} a command needs its provider's variables, and
 * when they are missing the error names them and points here and at {@code demo}.
 */
final class SandboxOptions {

    /** The sandbox directory when {@code --sandbox-dir} is not given, relative to the working directory. */
    static final String DEFAULT_DIRECTORY = ".azt3knet-sandbox";

    @Option(names = "--sandbox",
            description = "use the local sandbox in --sandbox-dir instead of provider accounts (no network)")
    private boolean enabled;

    @Option(names = "--sandbox-dir", paramLabel = "<dir>", defaultValue = DEFAULT_DIRECTORY,
            description = "the sandbox's directory (default: ${DEFAULT-VALUE})")
    private Path directory = Path.of(DEFAULT_DIRECTORY);

    /** @return whether {@code --sandbox} was given */
    boolean enabled() {
        return enabled;
    }

    /** @return the sandbox directory */
    Path directory() {
        return directory;
    }

    /**
     * @param base the configuration without the sandbox
     * @return the overrides that make the configuration's domain the sandbox domain (none without {@code --sandbox})
     */
    Map<String, String> overrides(ConfigSource base) {
        Map<String, String> overrides = new HashMap<>();
        if (enabled) {
            overrides.put(ProvisioningSettings.DOMAIN, Sandbox.domain(base));
        }
        return overrides;
    }

    /**
     * A {@link MailAutomation} over the sandbox directory: its provisioner (credentials pointing at the running
     * {@code sandbox up}, else at the default port) and its DNS manager.
     *
     * @param config the configuration, with {@link #overrides} applied
     * @return the automation
     */
    MailAutomation automation(ConfigSource config) {
        Optional<RunningSandbox> running = Sandbox.running(directory);
        SandboxMailboxProvisioner.Builder provisioner = SandboxMailboxProvisioner.builder(directory);
        running.ifPresent(r -> provisioner.smtpEndpoint("localhost", r.smtpPort()).inboundUrl(r.inboundUrl()));
        int concurrency = MailAutomation.concurrency(config);
        return MailAutomation.builder()
                .settings(ProvisioningSettings.from(config))
                .concurrency(concurrency)
                .provisioner(provisioner.build())
                .dnsManager(SandboxDnsManager.builder(directory).build())
                .build();
    }

    /**
     * Runs a step that reads provider settings; a configuration error gets the hint that no account is needed to
     * try the library.
     *
     * @param step the step
     * @param <T> its result
     * @return its result
     */
    static <T> T withSandboxHint(Supplier<T> step) {
        try {
            return step.get();
        } catch (ConfigurationException e) {
            List<String> problems = new ArrayList<>(e.problems());
            problems.add("no provider account at hand? add --sandbox to use the local sandbox in " + DEFAULT_DIRECTORY
                    + " (or --sandbox-dir DIR), or run `azt3knet-mail demo` to see the whole loop offline");
            throw new ConfigurationException(problems);
        }
    }
}
