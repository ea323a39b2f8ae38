package io.azt3knet.mail.mailjet;

import io.azt3knet.mail.internal.util.LogText;
import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.http.HttpSender;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.ProviderServiceException;
import io.azt3knet.mail.ProviderTransportException;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.internal.http.JsonHttpClient;
import io.azt3knet.mail.provisioning.DomainRequirements;
import io.azt3knet.mail.provisioning.DomainVerification;
import io.azt3knet.mail.provisioning.Mailbox;
import io.azt3knet.mail.provisioning.MailboxCreation;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.MailboxDeletion;
import io.azt3knet.mail.provisioning.MailboxProvisioner;
import io.azt3knet.mail.provisioning.MailboxRequest;
import io.azt3knet.mail.provisioning.UnregisteredDomain;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mailjet as a {@link MailboxProvisioner}: a domain is a catch-all sender {@code *@domain} with its {@code dns}
 * entry; a mailbox is one inbound parse route per address, posting to {@code MAILJET_INBOUND_URL} with
 * {@code MAILJET_INBOUND_SECRET} as Basic credentials (user {@code mailjet}); its SMTP login depends on the
 * {@link MailjetCredentialsMode}: the account's key pair (the default), one sub-account key for the population, or
 * one per agent. Routes are always created with the account's key pair; a sub-account key is only ever handed out.
 *
 * <p><b>Idempotent, always.</b> Mailjet does not refuse a second route for an address, so this provisioner
 * keeps its own knowledge of what exists: it lists every route once (pages of 1,000) and caches them by
 * lower-cased address, creates only what is missing, reuses what exists (correcting its URL, and deleting
 * duplicates made by other tools, both reported as {@link MailboxCreation.Repaired}), and after an
 * ambiguous failure (no answer, or a 5xx to the create) lists again before anything is created again; when the
 * route is absent it is created again, a bounded number of times with jittered backoff. Calls for
 * the same address are serialized, so concurrent creates never make two routes. {@link #refresh()} forgets the
 * cache. Another process creating routes for the same addresses at the same time is not guarded against.
 *
 * <pre>{@code
 * try (MailjetProvisioner mailjet = MailjetProvisioner.builder(MailjetSettings.from(ConfigSource.standard()))
 *         .build()) {
 *     DomainRequirements dns = mailjet.prepareDomain("agents.example.org");
 *     MailboxCredentials jane = mailjet.createMailbox(new MailboxRequest(address, "Jane Doe")).credentials();
 * }
 * }</pre>
 *
 * Thread-safe; one HTTP client per provisioner, released by {@link #close()}.
 */
public final class MailjetProvisioner implements MailboxProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(MailjetProvisioner.class);

    private final MailjetSettings settings;
    private final MailjetClient client;
    private final MailjetCredentialsMode credentialsMode;
    private final StripedLocks locks = new StripedLocks();
    private final MailjetRouteIndex routes;
    private final MailjetCatchAllSenders senders;
    private final MailjetAgentKeys agentKeys;
    private final Optional<MailjetPopulationKey> populationKey;
    private final CreateRetry createRetry;

    private MailjetProvisioner(MailjetSettings settings, MailjetClient client, MailjetCredentialsMode credentialsMode,
            Function<MailjetSettings, JsonHttpClient> keyHttp, CreateRetry createRetry) {
        this.settings = settings;
        this.client = client;
        this.credentialsMode = credentialsMode;
        this.createRetry = createRetry;
        this.routes = new MailjetRouteIndex(client);
        this.senders = new MailjetCatchAllSenders(settings, client, createRetry);
        this.agentKeys = new MailjetAgentKeys(client, createRetry);
        this.populationKey = credentialsMode instanceof MailjetCredentialsMode.Population p
                ? Optional.of(new MailjetPopulationKey(p.keyName(), client, settings, keyHttp, createRetry))
                : Optional.empty();
    }

    /** @return which key pair agents get as their SMTP login */
    public MailjetCredentialsMode credentialsMode() {
        return credentialsMode;
    }

    /** @return how many times the routes were listed again after ambiguous failures (for tests) */
    long relistings() {
        return routes.relistings();
    }

    /**
     * @param settings the Mailjet settings
     * @return a builder
     */
    public static Builder builder(MailjetSettings settings) {
        return new Builder(settings);
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
     * {@code dns} entry. In {@code population} mode it also finds or creates the population's key and registers
     * {@code *@domain} under it.
     */
    @Override
    public DomainRequirements prepareDomain(String domain) {
        String d = domainKey(domain);
        DomainRequirements requirements = senders.prepare(d);
        populationKey.ifPresent(k -> k.credentialsFor(d));
        return requirements;
    }

    /** Reads the catch-all sender and its dns entry; creates nothing. */
    @Override
    public Optional<DomainRequirements> domainRequirements(String domain) {
        return senders.requirementsIfPrepared(domainKey(domain));
    }

    /** Mailjet's MX hosts and SPF mechanism come from the settings: known before the domain is registered. */
    @Override
    public Optional<UnregisteredDomain> requirementsBeforeRegistration(String domain) {
        return Optional.of(new UnregisteredDomain(domainKey(domain), settings.mxHosts(), settings.spfInclude()));
    }

    /**
     * Triggers Mailjet's DNS check and reports DKIM and SPF with Mailjet's own error strings; when both are OK and
     * the catch-all sender is not active yet, asks Mailjet to validate it.
     */
    @Override
    public DomainVerification verifyDomain(String domain) {
        return senders.verify(domainKey(domain));
    }

    private static String domainKey(String domain) {
        return MailboxAddress.requireDomain(domain.strip().toLowerCase(Locale.ROOT));
    }

    // ---- mailboxes

    @Override
    public MailboxCreation createMailbox(MailboxRequest request) {
        String url = settings.inboundRouteUrl();
        MailboxAddress address = request.address();
        String key = key(address);
        synchronized (locks.of(key)) {
            List<MailjetParseRoute> existing = routes.routesOf(key);
            Optional<Reused> reused = existing.isEmpty() ? Optional.empty() : reuse(key, existing, url);
            if (reused.isPresent()) {
                MailboxCredentials found = credentials(request, reused.get().route());
                return reused.get().changed() ? MailboxCreation.repaired(found) : MailboxCreation.alreadyExisted(found);
            }
            MailjetParseRoute created = create(key, address, url);
            return MailboxCreation.created(credentials(request, created));
        }
    }

    /** The route kept for an address, and whether keeping it changed anything at Mailjet. */
    private record Reused(MailjetParseRoute route, boolean changed) {
    }

    /**
     * Keeps the oldest route, points it at {@code url} and deletes duplicates; empty if it vanished meanwhile. A
     * {@code PUT} answered 304 Not Modified (the route already had that URL: someone corrected it since it was listed)
     * is success and changes nothing.
     */
    private Optional<Reused> reuse(String key, List<MailjetParseRoute> existing, String url) {
        MailjetParseRoute keep = existing.get(0);
        boolean changed = existing.size() > 1;
        if (!keep.url().equals(url)) {
            boolean updated;
            try {
                updated = client.updateParseRoute(keep.id(), url);
            } catch (ProviderServiceException e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
                routes.remove(key); // deleted behind our back: create it again
                return Optional.empty();
            }
            if (updated) {
                LOG.info("Mailjet route {} for {} pointed elsewhere; corrected", keep.id(), LogText.escape(keep.email()));
            } else {
                LOG.debug("Mailjet route {} for {} already pointed at the inbound URL (304)", keep.id(),
                        LogText.escape(keep.email()));
            }
            changed |= updated;
            keep = new MailjetParseRoute(keep.id(), keep.email(), url, keep.apiKeyId());
        }
        for (MailjetParseRoute duplicate : existing.subList(1, existing.size())) {
            client.deleteParseRoute(duplicate.id());
            LOG.info("deleted duplicate Mailjet route {} for {}", duplicate.id(), LogText.escape(duplicate.email()));
        }
        routes.put(key, List.of(keep));
        return Optional.of(new Reused(keep, changed));
    }

    /**
     * Creates the route. After an ambiguous failure (no answer, or a 5xx) the routes are listed again (one
     * listing shared with every worker re-checking at the same moment); a route found there is the answer, and
     * only when none is found is the create repeated, after a jittered backoff, up to {@link CreateRetry#maxAttempts()}
     * creates in all. The caller holds the address's lock, so no other create for it runs meanwhile.
     */
    private MailjetParseRoute create(String key, MailboxAddress address, String url) {
        for (int attempt = 1; ; attempt++) {
            try {
                MailjetParseRoute route = client.createParseRoute(url, address.value());
                routes.put(key, List.of(route));
                return route;
            } catch (ProviderTransportException | ProviderServiceException e) {
                if (!CreateRetry.ambiguous(e)) {
                    throw e; // refused before anything was done
                }
                // the route may exist although the answer was lost. Look before anyone creates again.
                LOG.warn("creating the Mailjet route for {} failed ambiguously ({}, attempt {} of {}); re-listing routes",
                        LogText.escape(address), LogText.escape(e.getMessage()), attempt, createRetry.maxAttempts());
                Optional<MailjetParseRoute> found;
                try {
                    found = routes.relist(key);
                } catch (RuntimeException recheck) {
                    e.addSuppressed(recheck); // the cache is dropped: the next call lists before creating
                    throw e;
                }
                if (found.isPresent()) {
                    return found.get();
                }
                if (attempt >= createRetry.maxAttempts() || !createRetry.pause(attempt)) {
                    throw e;
                }
            }
        }
    }

    @Override
    public Optional<Mailbox> findMailbox(MailboxAddress address) {
        List<MailjetParseRoute> found = routes.routesOf(key(address));
        return found.isEmpty() ? Optional.empty() : Optional.of(mailbox(address, found.get(0)));
    }

    @Override
    public List<Mailbox> listMailboxes(String domain) {
        String d = domain.strip().toLowerCase(Locale.ROOT);
        List<Mailbox> out = new ArrayList<>();
        routes.forEach((address, found) -> {
            if (address.endsWith("@" + d)) {
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
     * Deletes every route of the address that belongs to this deployment (its URL, without credentials, is
     * {@code MAILJET_INBOUND_URL}; every route of the address when no inbound URL is configured), and with
     * per-agent SMTP keys deactivates the agent's key (Mailjet documents no deletion of API keys; creating the
     * mailbox again reactivates it). Routes of the same address pointing at another deployment are left alone. A route the provider no longer has counts
     * as deleted; after an ambiguous failure (no answer, or a 5xx once retries are spent) the route is read back, and
     * only a route that is still there makes the call fail.
     */
    @Override
    public MailboxDeletion deleteMailbox(MailboxAddress address) {
        String key = key(address);
        synchronized (locks.of(key)) {
            Optional<URI> deployment = settings.inboundUrl().map(Mailbox::withoutCredentials);
            List<MailjetParseRoute> found = routes.routesOf(key).stream()
                    .filter(r -> deployment.map(d -> ofDeployment(r, d)).orElse(true)).toList();
            for (MailjetParseRoute r : found) {
                deleteRoute(r);
            }
            routes.remove(key);
            // a population key is shared by every agent of the population: it stays
            boolean keyDeactivated = credentialsMode instanceof MailjetCredentialsMode.PerAgent
                    && agentKeys.deactivate(key);
            return found.isEmpty() && !keyDeactivated ? MailboxDeletion.absent(address) : MailboxDeletion.deleted(address);
        }
    }

    private void deleteRoute(MailjetParseRoute route) {
        try {
            client.deleteParseRoute(route.id()); // false (404): gone already, maybe by a retried attempt of ours
        } catch (ProviderTransportException | ProviderServiceException e) {
            if (e instanceof ProviderServiceException s && s.statusCode() < 500) {
                throw e; // refused: authentication, permission, throttling
            }
            LOG.warn("deleting Mailjet route {} failed ambiguously ({}); reading it back", route.id(),
                    LogText.escape(e.getMessage()));
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

    /**
     * Points every parse route of this deployment (every route whose URL, without credentials, is
     * {@code MAILJET_INBOUND_URL}) at the current route URL, that is with the current
     * {@code MAILJET_INBOUND_SECRET}: the step of a secret rotation that updates Mailjet. Routes of other
     * deployments are left alone; a route already current is not written. Run the webhook with the new secret
     * and the previous one ({@code InboundWebhookHandler.Builder.previousSecret}) meanwhile.
     *
     * @return how many routes of this deployment there are, and how many were updated
     * @throws ConfigurationException if {@code MAILJET_INBOUND_URL} is not set
     */
    public RouteRotation repointRoutes() {
        return rotate(true);
    }

    /**
     * What {@link #repointRoutes()} would do, changing nothing: lists the routes only.
     *
     * @return how many routes of this deployment there are, and how many would be updated
     * @throws ConfigurationException if {@code MAILJET_INBOUND_URL} is not set
     */
    public RouteRotation planRouteRotation() {
        return rotate(false);
    }

    private RouteRotation rotate(boolean write) {
        String url = settings.inboundRouteUrl();
        URI deployment = Mailbox.withoutCredentials(URI.create(url));
        int ours = 0;
        int updated = 0;
        for (MailjetParseRoute route : client.listAllParseRoutes()) {
            if (!ofDeployment(route, deployment)) {
                continue;
            }
            ours++;
            if (!route.url().equals(url)) {
                if (write) {
                    client.updateParseRoute(route.id(), url);
                }
                updated++;
            }
        }
        if (write) {
            routes.forget(); // the cached URLs are stale now
        }
        return new RouteRotation(ours, updated);
    }

    /**
     * What {@link #repointRoutes()} did. Carries no URL (the URLs hold the secret).
     *
     * @param routes the routes of this deployment found
     * @param updated how many of them were (or, planned, would be) pointed at the current secret
     */
    public record RouteRotation(int routes, int updated) {
    }

    @Override
    public Optional<URI> inboundUrl() {
        return settings.inboundUrl().map(Mailbox::withoutCredentials);
    }

    @Override
    public void refresh() {
        routes.forget();
        agentKeys.forget();
        senders.forget();
        populationKey.ifPresent(MailjetPopulationKey::forget);
    }

    @Override
    public void close() {
        populationKey.ifPresent(MailjetPopulationKey::close);
        client.close();
    }

    @Override
    public String toString() {
        return "MailjetProvisioner[" + settings + ", credentials=" + credentialsMode + "]";
    }

    // ---- helpers

    /** @return whether the route's URL, without credentials, is the deployment's (a URL this library did not write is not) */
    private static boolean ofDeployment(MailjetParseRoute route, URI deployment) {
        try {
            return Mailbox.withoutCredentials(URI.create(route.url())).equals(deployment);
        } catch (IllegalArgumentException e) {
            return false;
        }
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
        if (populationKey.isPresent()) {
            MailjetApiKey key = populationKey.get().credentialsFor(domainKey(request.address().domain()));
            username = key.apiKey();
            password = key.secretKey().orElseThrow();
        } else if (credentialsMode instanceof MailjetCredentialsMode.PerAgent) {
            MailjetApiKey key = agentKeys.keyOf(key(request.address()));
            username = key.apiKey();
            password = key.secretKey().orElseThrow(() -> unexpected("GET /v3/REST/apikey",
                    "Mailjet did not return the secret of the existing key '" + key.name()
                            + "'; deactivate that key and create the mailbox again"));
        }
        return new MailboxCredentials(request.address(), request.displayName(), settings.smtpHost(),
                settings.smtpPort(), username, password, Long.toString(route.id()), uri(route));
    }

    static ProviderServiceException unexpected(String operation, String what) {
        return ProviderServiceException.builder("mailjet", operation, 200).message("unexpected answer: " + what).build();
    }

    /** Builds a {@link MailjetProvisioner}. */
    public static final class Builder {
        private final MailjetSettings settings;
        private @Nullable JsonHttpClient http;
        private @Nullable HttpSender sender;
        private MailjetCredentialsMode credentialsMode = MailjetCredentialsMode.account();
        private @Nullable Function<MailjetSettings, JsonHttpClient> keyHttp;
        private CreateRetry createRetry = CreateRetry.defaults();

        private Builder(MailjetSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /**
         * @param s sends every REST exchange (a proxy, metrics, a test double); default: a JDK client
         * @return this builder
         */
        public Builder httpSender(HttpSender s) {
            this.sender = Objects.requireNonNull(s, "sender");
            return this;
        }

        /** Tests: sends through this client (fast retries, no pacing); the provisioner owns and closes it. */
        Builder httpClient(JsonHttpClient client) {
            this.http = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * @param mode which key pair agents get as their SMTP login (default: the account's); see
         *     {@link MailjetCredentialsMode} for the trade-off
         * @return this builder
         */
        public Builder credentialsMode(MailjetCredentialsMode mode) {
            this.credentialsMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Tests: how the HTTP client of a sub-account key is made (fast retries, no pacing). */
        Builder keyHttpClients(Function<MailjetSettings, JsonHttpClient> factory) {
            this.keyHttp = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** Replaces how ambiguous creates are repeated (tests: no real sleeping). */
        Builder createRetry(CreateRetry retry) {
            this.createRetry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** @return the provisioner */
        public MailjetProvisioner build() {
            if (settings == null) {
                throw new IllegalStateException("settings are required: MailjetProvisioner.builder(...)");
            }
            JsonHttpClient h = http != null ? http : MailjetClient.httpClientBuilder(settings).build();
            Function<MailjetSettings, JsonHttpClient> k = keyHttp != null ? keyHttp
                    : s -> MailjetClient.httpClientBuilder(s).build();
            return new MailjetProvisioner(settings, new MailjetClient(h), credentialsMode, k, createRetry);
        }
    }
}
