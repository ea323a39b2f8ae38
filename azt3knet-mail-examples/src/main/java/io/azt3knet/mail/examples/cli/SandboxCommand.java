package io.azt3knet.mail.examples.cli;

import io.azt3knet.mail.sandbox.Sandbox;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code azt3knet-mail sandbox}: the local sandbox's own commands. */
@Command(name = "sandbox", description = "The local sandbox: SMTP server and inbound webhook on this machine.",
        subcommands = SandboxCommand.Up.class)
final class SandboxCommand implements Callable<Integer> {

    @ParentCommand
    private @Nullable Azt3knetMailCommand root;

    /** Without a subcommand: a usage error. */
    @Override
    public Integer call() {
        Azt3knetMailCommand.parent(root, "sandbox");
        throw CliException.badInput("missing subcommand: use `sandbox up`");
    }

    /**
     * {@code azt3knet-mail sandbox up}: runs the sandbox's SMTP server and webhook until SIGINT or SIGTERM, with
     * {@code sandbox.json} (ports and pid) in the directory meanwhile, and prints what an application needs as
     * {@code export} lines.
     */
    @Command(name = "up", description = {"Run the sandbox's SMTP server (STARTTLS, AUTH) and inbound webhook on",
        "127.0.0.1 until stopped (Ctrl-C, SIGTERM); print the settings to use as export lines."})
    static final class Up implements Callable<Integer> {

        @ParentCommand
        private @Nullable SandboxCommand parent;

        @Mixin
        private SandboxOptions sandbox = new SandboxOptions();

        @Option(names = "--smtp-port", paramLabel = "<port>", defaultValue = "" + Sandbox.DEFAULT_SMTP_PORT,
                description = "SMTP port on 127.0.0.1, 0 for any free one (default: ${DEFAULT-VALUE})")
        private int smtpPort;

        @Option(names = "--http-port", paramLabel = "<port>", defaultValue = "" + Sandbox.DEFAULT_HTTP_PORT,
                description = "webhook port on 127.0.0.1, 0 for any free one (default: ${DEFAULT-VALUE})")
        private int httpPort;

        @Override
        public Integer call() {
            SandboxCommand p = parent;
            Azt3knetMailCommand top = Azt3knetMailCommand.parent(p == null ? null : p.root, "sandbox up");
            if (smtpPort < 0 || smtpPort > 65535 || httpPort < 0 || httpPort > 65535) {
                throw CliException.badInput("ports must be 0..65535");
            }
            Path dir = sandbox.directory();
            Sandbox.running(dir).ifPresent(r -> {
                throw CliException.badInput("a sandbox already runs on " + dir + " (pid " + r.pid() + ", SMTP port "
                        + r.smtpPort() + "); stop it first, or use another --sandbox-dir");
            });
            String domain = Sandbox.domain(top.config(Map.of()));
            CountDownLatch stopped = new CountDownLatch(1);
            try (Sandbox running = Sandbox.builder(dir).domain(domain).smtpPort(smtpPort).httpPort(httpPort)
                    .announce(true).start()) {
                Thread hook = new Thread(() -> {
                    running.close();
                    stopped.countDown();
                }, "sandbox-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                PrintWriter out = top.out();
                out.println("# the Azt3kNet Mail sandbox runs: " + domain + ", state in " + running.directory());
                out.println("export DESEC_DOMAIN=" + domain);
                out.println("export MAILJET_SMTP_HOST=localhost");
                out.println("export MAILJET_SMTP_PORT=" + running.smtpPort());
                out.println("export AZT3KNET_SANDBOX_TRUSTSTORE=" + running.trustStoreFile());
                out.println("export AZT3KNET_SANDBOX_TRUSTSTORE_PASSWORD=changeit");
                out.println("export AZT3KNET_SANDBOX_CERTIFICATE=" + running.certificateFile());
                out.println("export MAILJET_INBOUND_URL=" + running.webhookUrl());
                out.println("# the webhook's secret is in " + running.directory().resolve("webhook.secret")
                        + "; stop with Ctrl-C");
                out.flush();
                try {
                    stopped.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // stopped from within the JVM (tests): close below
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs or ran: it closes the sandbox
                }
            }
            top.err().println("sandbox: stopped");
            return Azt3knetMailCommand.EXIT_OK;
        }
    }
}
