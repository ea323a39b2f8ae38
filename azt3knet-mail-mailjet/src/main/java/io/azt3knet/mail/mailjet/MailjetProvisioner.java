package io.azt3knet.mail.mailjet;

import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.ProviderServiceException;
import io.azt3knet.mail.ProviderTransportException;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.internal.http.JsonHttpClient;
import io.azt3knet.mail.provisioning.DomainRequirements;
import io.azt3knet.mail.provisioning.DomainRequirements.TxtRecord;
import io.azt3knet.mail.provisioning.DomainVerification;
import io.azt3knet.mail.provisioning.Mailbox;
import io.azt3knet.mail.provisioning.MailboxCreation;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.MailboxDeletion;
import io.azt3knet.mail.provisioning.MailboxProvisioner;
import io.azt3knet.mail.provisioning.MailboxRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mailjet as a {@link MailboxProvisioner}: a domain is a catch-all sender {@code *@domain} with its {@code dns}
 * entry; a mailbox is one inbound parse route per address, posting to {@code MAILJET_INBOUND_URL} with
 * {@code MAILJET_INBOUND_SECRET} as Basic credentials (user {@code mailjet}); its SMTP login is the account's
 * key pair, or optionally a sub-account API key per agent.
 *
 * <p><b>Idempotent, always.</b> Mailjet does not refuse a second route for an address, so this provisioner
 * keeps its own knowledge of what exists: it lists every route once (pages of 1,000) and caches them by
 * lower-cased address, creates only what is missing, reuses what exists (correcting its URL, and deleting
 * duplicates made by other tools, both reported as {@link MailboxCreation.Outcome#REPAIRED}), and after an
 * ambiguous failure (no answer, or a 5xx to the create) lists again before anything is created again. Calls for
 * the same address are serialized, so concurrent creates never make two routes. {@link #refresh()} forgets the
 * cache. Another process creating routes for the same addresses at the same time is not guarded against.
 *
 * <pre>{@code
 * try (MailjetProvisioner mailjet = MailjetProvisioner.builder()
 *         .settings(MailjetSettings.from(ConfigSource.standard())).build()) {
 *     DomainRequirements dns = mailjet.prepareDomain("agents.example.org");
 *     MailboxCredentials jane = mailjet.createMailbox(new MailboxRequest(address, "Jane Doe")).credentials();
 * }
 * }</pre>
 *
 * Thread-safe; one HTTP client per provisioner, released by {@link #close()}.
 */
public final class MailjetProvisioner implements MailboxProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(MailjetProvisioner.class);
    private static final int LOCK_STRIPES = 64;

    private final MailjetSettings settings;
    private final MailjetClient client;
    private final boolean perAgentSmtpKeys;
    private final Object[] stripes = new Object[LOCK_STRIPES];
    private final Object loadLock = new Object();
    private final Map<String, MailjetSender> domainSenders = new ConcurrentHashMap<>();

    /** Routes by lower-cased address, each list sorted by id; null until listed. */
    private volatile @Nullable ConcurrentHashMap<String, List<MailjetParseRoute>> routes;
    /** Sub-account keys by lower-cased name; null until listed. Only with per-agent SMTP keys. */
    private volatile @Nullable ConcurrentHashMap<String, MailjetApiKey> apiKeys;

    private MailjetProvisioner(MailjetSettings settings, MailjetClient client, boolean perAgentSmtpKeys) {
        this.settings = settings;
        this.client = client;
        this.perAgentSmtpKeys = perAgentSmtpKeys;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /** @return a builder; {@link Builder#settings(MailjetSettings)} is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the typed client this provisioner talks through, for calls it does not cover */
    public MailjetClient client() {
        return client;
    }

    @Override
    public String providerName() {
        return "mailjet";
    }

    // ---- domain

    /**
     * Ensures the catch-all sender {@code *@domain} exists (creating it when missing) and reads the domain's
     * {@code dns} entry.
     */
    @Override
    public DomainRequirements prepareDomain(String domain) {
        String d = MailboxAddress.requireDomain(domain.strip().toLowerCase(Locale.ROOT));
        return requirements(d, ensureCatchAllSender(d));
    }

    /** Reads the catch-all sender and its dns entry; creates nothing. */
    @Override
    public Optional<DomainRequirements> domainRequirements(String domain) {
        String d = MailboxAddress.requireDomain(domain.strip().toLowerCase(Locale.ROOT));
        return findCatchAllSender(d).map(sender -> requirements(d, sender));
    }

    private DomainRequirements requirements(String d, MailjetSender sender) {
        MailjetDns dns = dnsOf(d, sender);
        if (dns.dkimRecordValue().isBlank()) {
            throw unexpected("GET /v3/REST/dns/" + d, "the dns entry of " + d + " has no DKIMRecordValue");
        }
        String dkimName = dns.dkimRecordName().isBlank() ? "mailjet._domainkey"
                : TxtRecord.relativize(dns.dkimRecordName(), d);
        Optional<TxtRecord> ownership = Optional.empty();
        if (!dns.ownershipToken().isBlank()) {
            // UNCONFIRMED whether Mailjet gives a bare label or a fully qualified name: relativize handles both
            ownership = Optional.of(new TxtRecord(TxtRecord.relativize(dns.ownershipTokenRecordName(), d),
                    dns.ownershipToken()));
        }
        return new DomainRequirements(d, settings.mxHosts(), settings.spfInclude(), new TxtRecord(dkimName, dns.dkimRecordValue()),
                ownership);
    }

    /**
     * Triggers Mailjet's DNS check and reports DKIM and SPF with Mailjet's own error strings; when both are OK and
     * the catch-all sender is not active yet, asks Mailjet to validate it.
     */
    @Override
    public DomainVerification verifyDomain(String domain) {
        String d = MailboxAddress.requireDomain(domain.strip().toLowerCase(Locale.ROOT));
        Optional<MailjetSender> found = findCatchAllSender(d);
        if (found.isEmpty()) {
            DomainVerification.Check none = new DomainVerification.Check(DomainVerification.Status.NOT_CHECKED,
                    List.of(), List.of());
            return new DomainVerification(d, none, none, false,
                    "Mailjet has no sender *@" + d + ": call prepareDomain first");
        }
        MailjetSender sender = found.get();
        MailjetDnsCheck check = client.checkDns(sender.dnsId() > 0 ? Long.toString(sender.dnsId()) : d);
        DomainVerification.Check dkim = new DomainVerification.Check(status(check.dkimStatus()), check.dkimErrors(),
                check.dkimRecordCurrentValue().isBlank() ? List.of() : List.of(check.dkimRecordCurrentValue()));
        DomainVerification.Check spf = new DomainVerification.Check(status(check.spfStatus()), check.spfErrors(),
                check.spfRecordsCurrentValues());
        if (sender.isActive()) {
            return new DomainVerification(d, dkim, spf, true, "");
        }
        if (dkim.status() != DomainVerification.Status.OK || spf.status() != DomainVerification.Status.OK) {
            return new DomainVerification(d, dkim, spf, false,
                    "sender *@" + d + " is " + sender.status() + "; validation waits until DKIM and SPF are OK");
        }
        return validate(d, sender, dkim, spf);
    }

    private DomainVerification validate(String d, MailjetSender sender, DomainVerification.Check dkim,
            DomainVerification.Check spf) {
        MailjetSenderValidation v;
        try {
            v = client.validateSender(sender.id());
        } catch (ProviderServiceException e) {
            if (e.statusCode() != 400) {
                throw e;
            }
            // 400: "already active" per Mailjet's docs; believe it only once the sender says so
            Optional<MailjetSender> now = client.getSender(sender.id());
            if (now.isPresent() && now.get().isActive()) {
                domainSenders.put(d, now.get());
                return new DomainVerification(d, dkim, spf, true, "");
            }
            return new DomainVerification(d, dkim, spf, false, e.providerMessage());
        }
        if (v.isValidated()) {
            client.getSender(sender.id()).ifPresent(s -> domainSenders.put(d, s));
            return new DomainVerification(d, dkim, spf, true, "validated by " + v.validationMethod());
        }
        StringBuilder message = new StringBuilder(v.globalError());
        v.errors().forEach((kind, text) -> message.append(message.length() == 0 ? "" : "; ").append(kind)
                .append(": ").append(text));
        return new DomainVerification(d, dkim, spf, false, message.toString());
    }

    private static DomainVerification.Status status(String mailjetStatus) {
        String s = mailjetStatus.strip().toLowerCase(Locale.ROOT);
        if (s.equals("ok")) {
            return DomainVerification.Status.OK;
        }
        if (s.isEmpty() || s.equals("not checked")) {
            return DomainVerification.Status.NOT_CHECKED;
        }
        return DomainVerification.Status.ERROR; // "Error", "Not found", anything new
    }

    private MailjetSender ensureCatchAllSender(String d) {
        synchronized (stripe("*@" + d)) {
            Optional<MailjetSender> existing = findCatchAllSender(d);
            if (existing.isPresent()) {
                return existing.get();
            }
            MailjetSender created;
            try {
                created = client.createSender("*@" + d, "");
            } catch (ProviderTransportException | ProviderServiceException e) {
                if (e instanceof ProviderServiceException s && s.statusCode() != 400 && s.statusCode() < 500) {
                    throw e; // authentication, permission, throttling: looking again would not help
                }
                // ambiguous (it may exist now) or refused because it exists: look again
                domainSenders.remove(d);
                Optional<MailjetSender> again = listCatchAllSender(d);
                if (again.isPresent()) {
                    return again.get();
                }
                throw e;
            }
            domainSenders.put(d, created);
            return created;
        }
    }

    private Optional<MailjetSender> findCatchAllSender(String d) {
        MailjetSender cached = domainSenders.get(d);
        return cached != null ? Optional.of(cached) : listCatchAllSender(d);
    }

    private Optional<MailjetSender> listCatchAllSender(String d) {
        String email = "*@" + d;
        Optional<MailjetSender> s = client.listSenders(MailjetSenderQuery.all().email(email)).stream()
                .filter(x -> x.email().equalsIgnoreCase(email))
                .filter(x -> !x.status().equalsIgnoreCase("Deleted"))
                .min(Comparator.comparing((MailjetSender x) -> !x.isActive()).thenComparingLong(MailjetSender::id));
        s.ifPresent(x -> domainSenders.put(d, x));
        return s;
    }

    private MailjetDns dnsOf(String d, MailjetSender sender) {
        Optional<MailjetDns> dns = sender.dnsId() > 0 ? client.getDns(Long.toString(sender.dnsId())) : Optional.empty();
        if (dns.isEmpty()) {
            dns = client.getDns(d);
        }
        return dns.orElseThrow(() -> unexpected("GET /v3/REST/dns/" + d,
                "Mailjet has no dns entry for " + d + " although sender *@" + d + " exists"));
    }

    // ---- mailboxes

    @Override
    public MailboxCreation createMailbox(MailboxRequest request) {
        String url = settings.inboundRouteUrl();
        MailboxAddress address = request.address();
        String key = key(address);
        synchronized (stripe(key)) {
            List<MailjetParseRoute> existing = routes().getOrDefault(key, List.of());
            Optional<MailjetParseRoute> reused = existing.isEmpty() ? Optional.empty() : reuse(key, existing, url);
            if (reused.isPresent()) {
                MailboxCredentials found = credentials(request, reused.get());
                return existing.size() > 1 || !existing.get(0).url().equals(url)
                        ? MailboxCreation.repaired(found) : MailboxCreation.alreadyExisted(found);
            }
            MailjetParseRoute created = create(key, address, url);
            return MailboxCreation.created(credentials(request, created));
        }
    }

    /** Keeps the oldest route, points it at {@code url} and deletes duplicates; empty if it vanished meanwhile. */
    private Optional<MailjetParseRoute> reuse(String key, List<MailjetParseRoute> existing, String url) {
        MailjetParseRoute keep = existing.get(0);
        if (!keep.url().equals(url)) {
            try {
                client.updateParseRoute(keep.id(), url);
            } catch (ProviderServiceException e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
                routes().remove(key); // deleted behind our back: create it again
                return Optional.empty();
            }
            LOG.info("Mailjet route {} for {} pointed elsewhere; corrected", keep.id(), keep.email());
            keep = new MailjetParseRoute(keep.id(), keep.email(), url, keep.apiKeyId());
        }
        for (MailjetParseRoute duplicate : existing.subList(1, existing.size())) {
            client.deleteParseRoute(duplicate.id());
            LOG.info("deleted duplicate Mailjet route {} for {}", duplicate.id(), duplicate.email());
        }
        routes().put(key, List.of(keep));
        return Optional.of(keep);
    }

    private MailjetParseRoute create(String key, MailboxAddress address, String url) {
        try {
            MailjetParseRoute route = client.createParseRoute(url, address.value());
            routes().put(key, List.of(route));
            return route;
        } catch (ProviderTransportException | ProviderServiceException e) {
            if (e instanceof ProviderServiceException s && s.statusCode() < 500) {
                throw e; // refused before anything was done
            }
            // ambiguous: the route may exist although the answer was lost. Look before anyone creates again.
            LOG.warn("creating the Mailjet route for {} failed ambiguously ({}); re-listing routes", address,
                    e.getMessage());
            Optional<MailjetParseRoute> found;
            try {
                found = relist(key);
            } catch (RuntimeException recheck) {
                e.addSuppressed(recheck); // the cache is dropped: the next call lists before creating
                throw e;
            }
            if (found.isPresent()) {
                return found.get();
            }
            throw e;
        }
    }

    /** Lists all routes again and merges them in; if listing fails, the cache is dropped so the next call lists. */
    private Optional<MailjetParseRoute> relist(String key) {
        try {
            Map<String, List<MailjetParseRoute>> listed = group(client.listAllParseRoutes());
            ConcurrentHashMap<String, List<MailjetParseRoute>> cache = routes();
            listed.forEach((address, found) -> cache.merge(address, found, MailjetProvisioner::union));
            List<MailjetParseRoute> forKey = listed.getOrDefault(key, List.of());
            if (forKey.isEmpty()) {
                cache.remove(key);
                return Optional.empty();
            }
            cache.put(key, forKey);
            return Optional.of(forKey.get(0));
        } catch (RuntimeException e) {
            routes = null;
            throw e;
        }
    }

    @Override
    public Optional<Mailbox> findMailbox(MailboxAddress address) {
        List<MailjetParseRoute> found = routes().getOrDefault(key(address), List.of());
        return found.isEmpty() ? Optional.empty() : Optional.of(mailbox(address, found.get(0)));
    }

    @Override
    public List<Mailbox> listMailboxes(String domain) {
        String d = domain.strip().toLowerCase(Locale.ROOT);
        List<Mailbox> out = new ArrayList<>();
        routes().forEach((address, found) -> {
            if (!found.isEmpty() && address.endsWith("@" + d)) {
                try {
                    out.add(mailbox(MailboxAddress.parse(found.get(0).email()), found.get(0)));
                } catch (IllegalArgumentException notAnAgentAddress) {
                    LOG.debug("skipping Mailjet route {} with an unusual address", found.get(0).id());
                }
            }
        });
        return List.copyOf(out);
    }

    /**
     * Deletes every route of the address. A route the provider no longer has counts as deleted; after an ambiguous
     * failure (no answer, or a 5xx once retries are spent) the route is read back, and only a route that is still
     * there makes the call fail.
     */
    @Override
    public MailboxDeletion deleteMailbox(MailboxAddress address) {
        String key = key(address);
        synchronized (stripe(key)) {
            List<MailjetParseRoute> found = routes().getOrDefault(key, List.of());
            for (MailjetParseRoute r : found) {
                deleteRoute(r);
            }
            routes().remove(key);
            return found.isEmpty() ? MailboxDeletion.absent(address) : MailboxDeletion.deleted(address);
        }
    }

    private void deleteRoute(MailjetParseRoute route) {
        try {
            client.deleteParseRoute(route.id()); // false (404): gone already, maybe by a retried attempt of ours
        } catch (ProviderTransportException | ProviderServiceException e) {
            if (e instanceof ProviderServiceException s && s.statusCode() < 500) {
                throw e; // refused: authentication, permission, throttling
            }
            LOG.warn("deleting Mailjet route {} failed ambiguously ({}); reading it back", route.id(), e.getMessage());
            Optional<MailjetParseRoute> still;
            try {
                still = client.getParseRoute(route.id());
            } catch (RuntimeException recheck) {
                e.addSuppressed(recheck);
                throw e;
            }
            if (still.isPresent()) {
                throw e;
            }
        }
    }

    @Override
    public Optional<URI> inboundUrl() {
        return settings.inboundUrl().map(Mailbox::withoutCredentials);
    }

    @Override
    public void refresh() {
        synchronized (loadLock) {
            routes = null;
            apiKeys = null;
            domainSenders.clear();
        }
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "MailjetProvisioner[" + settings + ", perAgentSmtpKeys=" + perAgentSmtpKeys + "]";
    }

    // ---- helpers

    private ConcurrentHashMap<String, List<MailjetParseRoute>> routes() {
        ConcurrentHashMap<String, List<MailjetParseRoute>> r = routes;
        if (r != null) {
            return r;
        }
        synchronized (loadLock) {
            if (routes == null) {
                routes = new ConcurrentHashMap<>(group(client.listAllParseRoutes()));
                LOG.debug("listed {} Mailjet route addresses", routes.size());
            }
            return routes;
        }
    }

    private static Map<String, List<MailjetParseRoute>> group(List<MailjetParseRoute> all) {
        Map<String, List<MailjetParseRoute>> byAddress = new HashMap<>();
        for (MailjetParseRoute r : all) {
            if (!r.email().isBlank()) {
                byAddress.merge(r.email().strip().toLowerCase(Locale.ROOT), List.of(r), MailjetProvisioner::union);
            }
        }
        return byAddress;
    }

    private static List<MailjetParseRoute> union(List<MailjetParseRoute> a, List<MailjetParseRoute> b) {
        Map<Long, MailjetParseRoute> byId = new HashMap<>();
        a.forEach(r -> byId.put(r.id(), r));
        b.forEach(r -> byId.put(r.id(), r));
        return byId.values().stream().sorted(Comparator.comparingLong(MailjetParseRoute::id)).toList();
    }

    private Object stripe(String key) {
        return stripes[Math.floorMod(key.hashCode(), LOCK_STRIPES)];
    }

    private static String key(MailboxAddress address) {
        return address.value().toLowerCase(Locale.ROOT);
    }

    private Mailbox mailbox(MailboxAddress address, MailjetParseRoute route) {
        return new Mailbox(address, Long.toString(route.id()), uri(route));
    }

    private static URI uri(MailjetParseRoute route) {
        try {
            return new URI(route.url());
        } catch (URISyntaxException e) {
            return URI.create("https://invalid.invalid/unparsable-route-url");
        }
    }

    private MailboxCredentials credentials(MailboxRequest request, MailjetParseRoute route) {
        String username = settings.apiKey();
        Secret password = settings.apiSecret();
        if (perAgentSmtpKeys) {
            MailjetApiKey key = agentKey(request.address());
            username = key.apiKey();
            password = key.secretKey().orElseThrow(() -> unexpected("GET /v3/REST/apikey",
                    "Mailjet did not return the secret of the existing key '" + key.name()
                            + "'; deactivate that key and create the mailbox again"));
        }
        return new MailboxCredentials(request.address(), request.displayName(), settings.smtpHost(),
                settings.smtpPort(), username, password, Long.toString(route.id()), uri(route));
    }

    /**
     * The agent's sub-account key, named after its address: reused when it exists, else created. Created keys
     * have their own senders; UNCONFIRMED whether Mailjet returns {@code SecretKey} when listing existing keys.
     */
    private MailjetApiKey agentKey(MailboxAddress address) {
        String name = key(address);
        MailjetApiKey existing = apiKeys(() -> client.listApiKeys()).get(name);
        if (existing != null) {
            return existing;
        }
        MailjetApiKey created;
        try {
            created = client.createApiKey(name);
        } catch (ProviderTransportException | ProviderServiceException e) {
            apiKeys = null;
            MailjetApiKey again = apiKeys(() -> client.listApiKeys()).get(name);
            if (again != null) {
                return again;
            }
            throw e;
        }
        apiKeys(() -> client.listApiKeys()).put(name, created);
        return created;
    }

    private ConcurrentHashMap<String, MailjetApiKey> apiKeys(Supplier<List<MailjetApiKey>> lister) {
        ConcurrentHashMap<String, MailjetApiKey> k = apiKeys;
        if (k != null) {
            return k;
        }
        synchronized (loadLock) {
            if (apiKeys == null) {
                ConcurrentHashMap<String, MailjetApiKey> byName = new ConcurrentHashMap<>();
                lister.get().forEach(key -> byName.putIfAbsent(key.name().toLowerCase(Locale.ROOT), key));
                apiKeys = byName;
            }
            return apiKeys;
        }
    }

    private static ProviderServiceException unexpected(String operation, String what) {
        return ProviderServiceException.builder("mailjet", operation, 200).message("unexpected answer: " + what).build();
    }

    /** Builds a {@link MailjetProvisioner}. */
    public static final class Builder {
        private @Nullable MailjetSettings settings;
        private @Nullable JsonHttpClient http;
        private boolean perAgentSmtpKeys;

        private Builder() {
        }

        /**
         * @param s the settings (required)
         * @return this builder
         */
        public Builder settings(MailjetSettings s) {
            this.settings = Objects.requireNonNull(s, "settings");
            return this;
        }

        /**
         * Sends through this HTTP client instead of one built from the settings (tests, custom timeouts or
         * pacing); start from {@link MailjetClient#httpClientBuilder(MailjetSettings)}. The provisioner owns and
         * closes it.
         *
         * @param client the HTTP client
         * @return this builder
         */
        public Builder httpClient(JsonHttpClient client) {
            this.http = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * @param enabled whether each agent gets its own sub-account API key as SMTP login (default false: the
         *     account's key pair); sub-account keys do not share the account's senders unless Mailjet support
         *     enables a metasender
         * @return this builder
         */
        public Builder perAgentSmtpKeys(boolean enabled) {
            this.perAgentSmtpKeys = enabled;
            return this;
        }

        /** @return the provisioner */
        public MailjetProvisioner build() {
            if (settings == null) {
                throw new IllegalStateException("settings are required: MailjetProvisioner.builder().settings(...)");
            }
            JsonHttpClient h = http != null ? http : MailjetClient.httpClientBuilder(settings).build();
            return new MailjetProvisioner(settings, new MailjetClient(h), perAgentSmtpKeys);
        }
    }
}
