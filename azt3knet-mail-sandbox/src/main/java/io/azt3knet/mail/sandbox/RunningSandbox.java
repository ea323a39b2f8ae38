package io.azt3knet.mail.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.send.MailService;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A sandbox running in another process ({@code sandbox up}), as its {@value Sandbox#STATE_FILE} describes it: enough
 * to send through it as one of its agents.
 *
 * @param directory the sandbox directory
 * @param pid the process running it
 * @param domain its mail domain
 * @param smtpPort its SMTP port on 127.0.0.1 (host name {@code localhost})
 * @param httpPort its webhook port on 127.0.0.1
 * @param inboundUrl its webhook URL
 * @param trustStoreFile the truststore that holds exactly its certificate
 */
public record RunningSandbox(Path directory, long pid, String domain, int smtpPort, int httpPort, URI inboundUrl,
        Path trustStoreFile) {

    /** Validates that nothing is null and the ports are ports. */
    public RunningSandbox {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(inboundUrl, "inboundUrl");
        Objects.requireNonNull(trustStoreFile, "trustStoreFile");
        if (smtpPort < 1 || smtpPort > 65535 || httpPort < 1 || httpPort > 65535) {
            throw new IllegalArgumentException("ports must be 1..65535, got " + smtpPort + " and " + httpPort);
        }
    }

    /**
     * @param address an agent's address
     * @return its credentials for this sandbox's SMTP server, or empty when it has no sandbox mailbox
     */
    public Optional<MailboxCredentials> credentials(MailboxAddress address) {
        return SandboxMailboxProvisioner.builder(directory).smtpEndpoint("localhost", smtpPort).inboundUrl(inboundUrl)
                .build().credentials(address);
    }

    /**
     * @param credentials an agent's credentials from {@link #credentials(MailboxAddress)}
     * @return a mail service sending as that agent through this sandbox, trusting exactly its certificate
     */
    public MailService mailService(MailboxCredentials credentials) {
        return MailService.builder().credentials(credentials).trustStore(SandboxTls.loadTrustStore(trustStoreFile))
                .build();
    }

    static Optional<RunningSandbox> read(Path directory) {
        Path file = directory.resolve(Sandbox.STATE_FILE);
        Optional<JsonNode> json;
        try {
            json = SandboxFiles.readJson(file);
        } catch (ConfigurationException damaged) {
            return Optional.empty(); // half-written by a process that died: nobody runs there
        }
        return json.filter(j -> ProcessHandle.of(j.path("pid").asLong()).map(ProcessHandle::isAlive).orElse(false))
                .map(j -> new RunningSandbox(directory, j.path("pid").asLong(), j.path("domain").asText(),
                        j.path("smtpPort").asInt(), j.path("httpPort").asInt(), URI.create(j.path("inboundUrl").asText()),
                        Path.of(j.path("trustStore").asText())));
    }

    /** Removes the state file when this process wrote it (another sandbox may have taken the directory since). */
    static void removeIfOurs(Path directory) {
        Path file = directory.resolve(Sandbox.STATE_FILE);
        try {
            SandboxFiles.readJson(file)
                    .filter(j -> j.path("pid").asLong() == ProcessHandle.current().pid())
                    .ifPresent(j -> SandboxFiles.deleteQuietly(file));
        } catch (ConfigurationException damaged) {
            SandboxFiles.deleteQuietly(file);
        }
    }
}
