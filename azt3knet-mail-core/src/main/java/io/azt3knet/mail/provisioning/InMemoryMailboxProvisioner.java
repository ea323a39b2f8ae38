package io.azt3knet.mail.provisioning;

import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.config.SettingsReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link MailboxProvisioner} that keeps everything in memory and behaves like a real provider: creating
 * an address twice returns the first mailbox ({@link MailboxCreation.Outcome#ALREADY_EXISTED}), addresses
 * compare case-insensitively, route ids are never reused, {@link #prepareDomain(String)} returns plausible
 * DNS requirements (a DKIM value derived from the domain, so stable across calls and runs). For tests, the
 * offline {@code populate} preview and the contract test. Thread-safe.
 *
 * <pre>{@code
 * MailboxProvisioner provisioner = InMemoryMailboxProvisioner.builder()
 *         .smtp("smtp.example.org", 587, "user", Secret.of("pw"))
 *         .build();
 * }</pre>
 */
public final class InMemoryMailboxProvisioner implements MailboxProvisioner {

    private final String smtpHost;
    private final int smtpPort;
    private final String smtpUsername;
    private final Secret smtpPassword;
    private final URI inboundUrl;
    private final List<String> mxHosts;
    private final String spfInclude;

    /** Mailboxes by lower-cased address; the map's atomic compute is what keeps creation idempotent. */
    private final Map<String, Mailbox> mailboxes = new ConcurrentHashMap<>();
    private final Map<String, DomainRequirements> domains = new ConcurrentHashMap<>();
    private final AtomicLong nextRouteId = new AtomicLong(1);

    private InMemoryMailboxProvisioner(Builder b) {
        this.smtpHost = b.smtpHost;
        this.smtpPort = b.smtpPort;
        this.smtpUsername = b.smtpUsername;
        this.smtpPassword = b.smtpPassword;
        this.inboundUrl = b.inboundUrl;
        this.mxHosts = b.mxHosts;
        this.spfInclude = b.spfInclude;
    }

    /** @return a builder with placeholder SMTP settings on the reserved {@code .invalid} domain */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String providerName() {
        return "in-memory";
    }

    @Override
    public DomainRequirements prepareDomain(String domain) {
        String d = MailboxAddress.requireDomain(domain.toLowerCase(Locale.ROOT));
        return domains.computeIfAbsent(d, this::requirementsFor);
    }

    @Override
    public Optional<DomainRequirements> domainRequirements(String domain) {
        return Optional.ofNullable(domains.get(domain.toLowerCase(Locale.ROOT)));
    }

    private DomainRequirements requirementsFor(String domain) {
        byte[] digest = sha256("dkim:" + domain);
        // a plausible-looking public key: stable per domain, not a real key
        String key = Base64.getEncoder().encodeToString(concat(digest, sha256("key:" + domain)));
        String token = HexFormat.of().formatHex(sha256("ownership:" + domain), 0, 16);
        return new DomainRequirements(domain, mxHosts, spfInclude,
                new DomainRequirements.TxtRecord("inmemory._domainkey", "k=rsa; p=" + key),
                Optional.of(new DomainRequirements.TxtRecord("_ownership-" + token.substring(0, 8), token)));
    }

    /**
     * Reports DKIM and SPF as published and the sender as validated for a prepared domain (there is no DNS
     * to look at); for a domain never prepared, both checks fail with a message saying so.
     */
    @Override
    public DomainVerification verifyDomain(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (!domains.containsKey(d)) {
            DomainVerification.Check notPrepared = new DomainVerification.Check(DomainVerification.Status.ERROR,
                    List.of("domain " + d + " is unknown: call prepareDomain first"), List.of());
            return new DomainVerification(d, notPrepared, notPrepared, false, "domain not prepared");
        }
        DomainVerification.Check ok = new DomainVerification.Check(DomainVerification.Status.OK, List.of(), List.of());
        return new DomainVerification(d, ok, ok, true, "");
    }

    @Override
    public MailboxCreation createMailbox(MailboxRequest request) {
        String key = key(request.address());
        boolean[] created = {false};
        Mailbox mailbox = mailboxes.computeIfAbsent(key, k -> {
            created[0] = true;
            return new Mailbox(request.address(), Long.toString(nextRouteId.getAndIncrement()), inboundUrl);
        });
        MailboxCredentials credentials = new MailboxCredentials(mailbox.address(), request.displayName(), smtpHost,
                smtpPort, smtpUsername, smtpPassword, mailbox.routeId(), mailbox.routeUrl());
        return created[0] ? MailboxCreation.created(credentials) : MailboxCreation.alreadyExisted(credentials);
    }

    @Override
    public Optional<Mailbox> findMailbox(MailboxAddress address) {
        return Optional.ofNullable(mailboxes.get(key(address)));
    }

    @Override
    public List<Mailbox> listMailboxes(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        List<Mailbox> out = new ArrayList<>();
        for (Mailbox m : mailboxes.values()) {
            if (m.address().domain().equals(d)) {
                out.add(m);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public MailboxDeletion deleteMailbox(MailboxAddress address) {
        return mailboxes.remove(key(address)) != null ? MailboxDeletion.deleted(address) : MailboxDeletion.absent(address);
    }

    @Override
    public Optional<URI> inboundUrl() {
        return Optional.of(Mailbox.withoutCredentials(inboundUrl));
    }

    /** Nothing is cached apart from the store itself, which is the "provider": nothing to forget. */
    @Override
    public void refresh() {
        // the in-memory store is the provider's state, not a cache of it
    }

    @Override
    public void close() {
        // no resources held
    }

    @Override
    public String toString() {
        return "InMemoryMailboxProvisioner[mailboxes=" + mailboxes.size() + ", smtp=" + smtpUsername + "@" + smtpHost
                + ":" + smtpPort + "]";
    }

    private static String key(MailboxAddress address) {
        return address.value().toLowerCase(Locale.ROOT);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Builds an {@link InMemoryMailboxProvisioner}. */
    public static final class Builder {
        private String smtpHost = "smtp.in-memory.invalid";
        private int smtpPort = 587;
        private String smtpUsername = "in-memory";
        private Secret smtpPassword = Secret.of("in-memory-password");
        private URI inboundUrl = URI.create("https://inbound.in-memory.invalid/mail/inbound");
        private List<String> mxHosts = List.of("parse.in-memory.invalid");
        private String spfInclude = "include:spf.in-memory.invalid";

        private Builder() {
        }

        /**
         * Sets the SMTP settings every mailbox's credentials carry.
         *
         * @param host the relay host
         * @param port the relay port, 1..65535
         * @param username the login
         * @param password the password
         * @return this builder
         */
        public Builder smtp(String host, int port, String username, Secret password) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, got " + port);
            }
            this.smtpHost = Objects.requireNonNull(host, "host");
            this.smtpPort = port;
            this.smtpUsername = Objects.requireNonNull(username, "username");
            this.smtpPassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * @param url where the routes of created mailboxes point; {@code https://} unless loopback
         * @return this builder
         */
        public Builder inboundUrl(URI url) {
            SettingsReader.endpointProblem(url.toString()).ifPresent(p -> {
                throw new IllegalArgumentException("inbound URL " + p);
            });
            this.inboundUrl = url;
            return this;
        }

        /**
         * @param hosts the inbound MX hosts {@link #prepareDomain(String)} reports, most preferred first
         * @return this builder
         */
        public Builder mxHosts(List<String> hosts) {
            List<String> copy = List.copyOf(hosts);
            if (copy.isEmpty()) {
                throw new IllegalArgumentException("at least one MX host is required");
            }
            copy.forEach(MailboxAddress::requireDomain);
            this.mxHosts = copy;
            return this;
        }

        /**
         * @param mechanism the SPF mechanism {@link #prepareDomain(String)} reports, e.g. {@code include:spf.example.org}
         * @return this builder
         */
        public Builder spfInclude(String mechanism) {
            this.spfInclude = Objects.requireNonNull(mechanism, "mechanism");
            return this;
        }

        /** @return the provisioner, empty */
        public InMemoryMailboxProvisioner build() {
            // validates the SPF mechanism now rather than on the first prepareDomain
            new DomainRequirements("example.org", mxHosts, spfInclude,
                    new DomainRequirements.TxtRecord("x", "x"), Optional.empty());
            return new InMemoryMailboxProvisioner(this);
        }
    }
}
