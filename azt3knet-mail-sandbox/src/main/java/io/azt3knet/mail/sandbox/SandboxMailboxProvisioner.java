package io.azt3knet.mail.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.dns.DnsRecordSet;
import io.azt3knet.mail.provisioning.DomainRequirements;
import io.azt3knet.mail.provisioning.DomainVerification;
import io.azt3knet.mail.provisioning.Mailbox;
import io.azt3knet.mail.provisioning.MailboxCreation;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.MailboxDeletion;
import io.azt3knet.mail.provisioning.MailboxProvisioner;
import io.azt3knet.mail.provisioning.MailboxRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The sandbox's {@link MailboxProvisioner}: mailboxes live as files in the sandbox directory, so they outlive the
 * process and are shared by every process using the same directory (the {@code sandbox up} server, the
 * {@code populate --sandbox} that creates agents, the {@code send --sandbox} that logs in as one).
 *
 * <p>Each mailbox is {@code <dir>/mailboxes/<address>.json} (mode 0600, directory 0700) holding the agent's own
 * SMTP password: 32 random bytes from {@link SecureRandom}, issued once at creation. The SMTP login is the address.
 * Creation is idempotent like a real provider's: the file is created atomically (a hard link of a complete
 * temporary file), so concurrent or repeated creates of one address, in any letter case and in any number of
 * processes, make one mailbox and return its credentials with {@link MailboxCreation.Outcome#ALREADY_EXISTED}.
 * Nothing is cached: every call reads the directory, so {@link #refresh()} has nothing to forget.
 *
 * <p>{@link #prepareDomain(String)} issues, once per domain, the public half of a fresh 2048-bit RSA key as the
 * DKIM record (the sandbox does not sign: mail never leaves the machine), an MX host {@code mx.<domain>} and the
 * SPF mechanism {@code ip4:127.0.0.1};
 * {@link #verifyDomain(String)} checks them against the sandbox zone in the same directory, as Mailjet checks
 * public DNS.
 *
 * <pre>{@code
 * try (SandboxMailboxProvisioner mailboxes = SandboxMailboxProvisioner.builder(Path.of(".azt3knet-sandbox"))
 *         .smtpEndpoint("localhost", 2525).build()) {
 *     MailboxCredentials agent = mailboxes.createMailbox(MailboxRequest.of(address)).credentials();
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class SandboxMailboxProvisioner implements MailboxProvisioner {

    /** The SPF mechanism of the sandbox: its mail leaves from the loopback address. */
    public static final String SPF_MECHANISM = "ip4:127.0.0.1";
    /** The DKIM selector of sandbox domains. */
    public static final String DKIM_SELECTOR = "sandbox";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path mailboxes;
    private final Path domains;
    private final Path zones;
    private final String smtpHost;
    private final int smtpPort;
    private final URI inboundUrl;

    private SandboxMailboxProvisioner(Builder b) {
        Path dir = SandboxFiles.directory(b.directory);
        this.mailboxes = SandboxFiles.directory(dir.resolve("mailboxes"));
        this.domains = SandboxFiles.directory(dir.resolve("domains"));
        this.zones = dir.resolve(SandboxDnsManager.ZONES_DIRECTORY);
        this.smtpHost = b.smtpHost;
        this.smtpPort = b.smtpPort;
        this.inboundUrl = b.inboundUrl;
    }

    /**
     * @param directory the sandbox directory (created with mode 0700 when missing)
     * @return a builder
     */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    @Override
    public String providerName() {
        return "sandbox";
    }

    @Override
    public DomainRequirements prepareDomain(String domain) {
        String d = MailboxAddress.requireDomain(domain.toLowerCase(Locale.ROOT));
        Optional<DomainRequirements> known = domainRequirements(d);
        if (known.isPresent()) {
            return known.get();
        }
        KeyPair dkim = newDkimKey(); // the private half is dropped: the sandbox does not sign (see class doc)
        ObjectNode json = SandboxFiles.JSON.createObjectNode();
        json.put("domain", d);
        json.putArray("mxHosts").add("mx." + d);
        json.put("spfInclude", SPF_MECHANISM);
        json.put("dkimName", DKIM_SELECTOR + "._domainkey");
        json.put("dkimValue", "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(dkim.getPublic().getEncoded()));
        json.put("prepared", Instant.now().toString());
        SandboxFiles.createExclusively(domains.resolve(d + ".json"), SandboxFiles.json(json)); // a lost race: theirs
        return domainRequirements(d).orElseThrow();
    }

    private static KeyPair newDkimKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is required of every JVM", e);
        }
    }

    @Override
    public Optional<DomainRequirements> domainRequirements(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return SandboxFiles.readJson(domains.resolve(d + ".json")).map(json -> {
            List<String> mx = new ArrayList<>();
            json.path("mxHosts").forEach(h -> mx.add(h.asText()));
            return new DomainRequirements(d, mx, json.path("spfInclude").asText(),
                    new DomainRequirements.TxtRecord(json.path("dkimName").asText(), json.path("dkimValue").asText()),
                    Optional.empty());
        });
    }

    /**
     * Checks the prepared domain's DKIM record and SPF mechanism in the sandbox zone ({@link SandboxDnsManager}
     * over the same directory); the domain counts as validated for sending once both are published.
     */
    @Override
    public DomainVerification verifyDomain(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        Optional<DomainRequirements> requirements = domainRequirements(d);
        if (requirements.isEmpty()) {
            DomainVerification.Check unknown = new DomainVerification.Check(DomainVerification.Status.ERROR,
                    List.of("domain " + d + " is unknown to the sandbox: call prepareDomain first"), List.of());
            return new DomainVerification(d, unknown, unknown, false, "domain not prepared");
        }
        List<DnsRecordSet> zone = SandboxDnsManager.readZone(zones, d);
        DomainRequirements r = requirements.get();
        List<String> dkimValues = txt(zone, r.dkim().name());
        DomainVerification.Check dkim = dkimValues.contains(r.dkim().value())
                ? new DomainVerification.Check(DomainVerification.Status.OK, List.of(), dkimValues)
                : new DomainVerification.Check(DomainVerification.Status.ERROR,
                        List.of("no TXT record " + r.dkim().name() + " with the sandbox's DKIM key"), dkimValues);
        List<String> spfValues = txt(zone, "").stream().filter(v -> v.startsWith("v=spf1")).toList();
        DomainVerification.Check spf = spfValues.size() == 1 && List.of(spfValues.get(0).split(" ")).contains(r.spfInclude())
                ? new DomainVerification.Check(DomainVerification.Status.OK, List.of(), spfValues)
                : new DomainVerification.Check(DomainVerification.Status.ERROR,
                        List.of("the apex needs exactly one SPF record holding " + r.spfInclude()), spfValues);
        boolean ready = dkim.status() == DomainVerification.Status.OK && spf.status() == DomainVerification.Status.OK;
        return new DomainVerification(d, dkim, spf, ready, ready ? "" : "publish the DNS, then verify again");
    }

    private static List<String> txt(List<DnsRecordSet> zone, String subname) {
        return zone.stream().filter(s -> s.type().equals("TXT") && s.subname().equals(subname))
                .flatMap(s -> s.records().stream()).toList();
    }

    @Override
    public MailboxCreation createMailbox(MailboxRequest request) {
        Objects.requireNonNull(request, "request");
        Path file = file(request.address());
        ObjectNode json = SandboxFiles.JSON.createObjectNode();
        json.put("address", request.address().value());
        json.put("displayName", request.displayName());
        json.put("routeId", "sandbox-" + UUID.randomUUID());
        json.put("password", newPassword());
        json.put("created", Instant.now().toString());
        boolean created = SandboxFiles.createExclusively(file, SandboxFiles.json(json));
        Stored stored = read(file).orElseThrow(() -> new IllegalStateException("the mailbox file " + file
                + " vanished while it was being created; run again"));
        MailboxCredentials credentials = new MailboxCredentials(stored.address, request.displayName(), smtpHost,
                smtpPort, stored.address.value(), stored.password, stored.routeId, inboundUrl);
        return created ? MailboxCreation.created(credentials) : MailboxCreation.alreadyExisted(credentials);
    }

    private static String newPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * An existing mailbox's credentials, password included: what an agent needs to log in to the sandbox's SMTP
     * server (the {@code send --sandbox --from} of the command line).
     *
     * @param address the address, in any letter case
     * @return the credentials with the display name given at creation, or empty when there is no such mailbox
     */
    public Optional<MailboxCredentials> credentials(MailboxAddress address) {
        return read(file(address)).map(s -> new MailboxCredentials(s.address, s.displayName, smtpHost, smtpPort,
                s.address.value(), s.password, s.routeId, inboundUrl));
    }

    /**
     * Checks an SMTP login against the issued credentials, in constant time for the password.
     *
     * @param username the login, an address in any letter case
     * @param password the password presented
     * @return the mailbox's address when both match
     */
    Optional<MailboxAddress> authenticate(String username, String password) {
        MailboxAddress address;
        try {
            address = MailboxAddress.parse(username.strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return read(file(address)).filter(s -> s.password.matches(password)).map(s -> s.address);
    }

    @Override
    public Optional<Mailbox> findMailbox(MailboxAddress address) {
        return read(file(address)).map(s -> new Mailbox(s.address, s.routeId, inboundUrl));
    }

    @Override
    public List<Mailbox> listMailboxes(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        List<Mailbox> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(mailboxes)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!name.startsWith(".") && name.endsWith("@" + d + ".json")) {
                    read(f).ifPresent(s -> out.add(new Mailbox(s.address, s.routeId, inboundUrl)));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + mailboxes + ": " + e.getMessage(), e);
        }
        return List.copyOf(out);
    }

    /** Deletes the mailbox's file, and with it the agent's SMTP password; its delivered mail stays. */
    @Override
    public MailboxDeletion deleteMailbox(MailboxAddress address) {
        try {
            return Files.deleteIfExists(file(address)) ? MailboxDeletion.deleted(address) : MailboxDeletion.absent(address);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot delete " + file(address) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<URI> inboundUrl() {
        return Optional.of(inboundUrl);
    }

    /** Nothing to forget: every call reads the sandbox directory. */
    @Override
    public void refresh() {
        // the directory is the provider's state, not a cache of it
    }

    @Override
    public void close() {
        // no resources held
    }

    @Override
    public String toString() {
        return "SandboxMailboxProvisioner[" + mailboxes.getParent() + ", smtp=" + smtpHost + ":" + smtpPort + "]";
    }

    private Path file(MailboxAddress address) {
        // the address rules exclude '/', '\' and control characters: the name cannot leave the directory
        return mailboxes.resolve(address.value().toLowerCase(Locale.ROOT) + ".json");
    }

    private static Optional<Stored> read(Path file) {
        return SandboxFiles.readJson(file).map(json -> {
            JsonNode password = json.path("password");
            if (!json.path("address").isTextual() || !password.isTextual() || password.asText().isEmpty()) {
                throw new ConfigurationException("the mailbox file " + file + " is damaged; delete it and create the "
                        + "mailbox again");
            }
            return new Stored(MailboxAddress.parse(json.path("address").asText()), json.path("displayName").asText(""),
                    json.path("routeId").asText("sandbox"), Secret.of(password.asText()));
        });
    }

    private record Stored(MailboxAddress address, String displayName, String routeId, Secret password) {
    }

    /** Builds a {@link SandboxMailboxProvisioner}. */
    public static final class Builder {
        private final Path directory;
        private String smtpHost = "localhost";
        private int smtpPort = Sandbox.DEFAULT_SMTP_PORT;
        private URI inboundUrl = URI.create("http://127.0.0.1:" + Sandbox.DEFAULT_HTTP_PORT + Sandbox.WEBHOOK_PATH);

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /**
         * @param host the host name agents connect to, default {@code localhost} (the name on the sandbox's
         *     certificate)
         * @param port the sandbox's SMTP port, default {@value Sandbox#DEFAULT_SMTP_PORT}
         * @return this builder
         */
        public Builder smtpEndpoint(String host, int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, got " + port);
            }
            this.smtpHost = Objects.requireNonNull(host, "host");
            this.smtpPort = port;
            return this;
        }

        /**
         * @param url the sandbox webhook's URL, reported as every mailbox's route
         * @return this builder
         */
        public Builder inboundUrl(URI url) {
            if (!url.isAbsolute()) {
                throw new IllegalArgumentException("the inbound URL must be absolute: " + url);
            }
            this.inboundUrl = url;
            return this;
        }

        /** @return the provisioner */
        public SandboxMailboxProvisioner build() {
            return new SandboxMailboxProvisioner(this);
        }
    }
}
