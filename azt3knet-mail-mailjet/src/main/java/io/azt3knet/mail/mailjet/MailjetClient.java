package io.azt3knet.mail.mailjet;

import io.azt3knet.mail.http.HttpSender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.ProviderServiceException;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.internal.http.CubicPacer;
import io.azt3knet.mail.internal.http.HttpRequestSpec;
import io.azt3knet.mail.internal.http.HttpResponseData;
import io.azt3knet.mail.internal.http.JsonHttpClient;
import io.azt3knet.mail.mailjet.internal.LenientJson;
import io.azt3knet.mail.mailjet.internal.MailjetErrorDecoder;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A typed client for the parts of Mailjet's v3 REST API this library needs: senders, their validation, the
 * domains' {@code dns} entries and checks, inbound parse routes and (sub-account) API keys.
 *
 * <p>It copes with Mailjet's quirks: numbers and booleans as strings, {@code ErrorMessage} as an object, empty
 * or HTML error bodies, 304 on a PUT that changed nothing, 429 without {@code Retry-After} (retried with
 * backoff by the one retry layer in {@link JsonHttpClient}), 500 with an {@code ErrorIdentifier} (kept as
 * {@link ProviderServiceException#requestId()}), and the default page size of 10: the {@code listAll...}
 * methods always send {@code Limit=1000} and page with {@code Offset}. Thread-safe; one HTTP client per
 * instance, released by {@link #close()}.
 *
 * <pre>{@code
 * try (MailjetClient mailjet = MailjetClient.create(MailjetSettings.from(ConfigSource.standard()))) {
 *     List<MailjetParseRoute> routes = mailjet.listAllParseRoutes();
 * }
 * }</pre>
 */
public final class MailjetClient implements AutoCloseable {

    /** The largest page Mailjet serves. */
    public static final int MAX_LIMIT = 1000;
    /** Bounds every listing: 10 million items. */
    private static final int MAX_PAGES = 10_000;

    private static final String SENDER = "/v3/REST/sender";
    private static final String DNS = "/v3/REST/dns";
    private static final String PARSEROUTE = "/v3/REST/parseroute";
    private static final String APIKEY = "/v3/REST/apikey";

    private final JsonHttpClient http;

    /** @param http the HTTP client to send through; this client owns it from now on and closes it */
    MailjetClient(JsonHttpClient http) {
        this.http = Objects.requireNonNull(http, "http");
    }

    /**
     * @param settings the settings
     * @return a client with Mailjet's defaults
     */
    public static MailjetClient create(MailjetSettings settings) {
        return new MailjetClient(httpClientBuilder(settings).build());
    }

    /** The highest pace without a configured ceiling: a sanity bound, far above any account's limit. */
    private static final int MAX_REQUESTS_PER_SECOND = 1000;

    /**
     * @param settings the settings
     * @param sender sends every exchange (a proxy, metrics, a test double)
     * @return a client with Mailjet's defaults, sending through {@code sender}
     */
    public static MailjetClient create(MailjetSettings settings, HttpSender sender) {
        return new MailjetClient(httpClientBuilder(settings).sender(sender).build());
    }

    /**
     * An HTTP client builder set up for Mailjet: Basic authentication with the key pair, the secrets redacted
     * from logs and messages, Mailjet's error shapes decoded, and a pace discovered from Mailjet's 429s
     * (it publishes no rate numbers and sends no {@code Retry-After}), capped by a configured rate.
     * Change timeouts, retries or pacing before building.
     *
     * @param settings the settings
     * @return the builder
     */
    static JsonHttpClient.Builder httpClientBuilder(MailjetSettings settings) {
        String token = Base64.getEncoder().encodeToString(
                (settings.apiKey() + ":" + settings.apiSecret().reveal()).getBytes(StandardCharsets.UTF_8));
        Secret basic = Secret.of(token);
        JsonHttpClient.Builder b = JsonHttpClient.builder("mailjet", settings.apiUrl())
                .authorization(() -> "Basic " + basic.reveal())
                .redact(settings.apiSecret(), basic)
                .errorDecoder(MailjetErrorDecoder.INSTANCE)
                .requestTimeout(settings.requestTimeout())
                // UNCONFIRMED numbers: Mailjet limits per key without publishing them; the pace is discovered
                .pacer(new CubicPacer(settings.requestsPerSecond().orElse(MAX_REQUESTS_PER_SECOND)));
        settings.inboundSecret().ifPresent(b::redact);
        return b;
    }

    // ---- senders

    /**
     * Creates a sender ({@code POST /v3/REST/sender}). Not retried after an ambiguous failure: list first.
     *
     * @param email an address, or {@code *@domain} for a whole domain
     * @param name a name, may be empty
     * @return the new sender ({@code Inactive} until validated)
     */
    public MailjetSender createSender(String email, String name) {
        ObjectNode body = object().put("Email", email);
        if (!name.isEmpty()) {
            body.put("Name", name);
        }
        return first(http.send(HttpRequestSpec.post(SENDER, body)), MailjetSender::from, "POST " + SENDER);
    }

    /**
     * Lists every sender matching the query, all pages.
     *
     * @param query the filters
     * @return the senders
     */
    public List<MailjetSender> listSenders(MailjetSenderQuery query) {
        return listAll(SENDER, query.filters(), MailjetSender::from);
    }

    /**
     * @param id a sender id
     * @return the sender, if it exists
     */
    public Optional<MailjetSender> getSender(long id) {
        return getOne(SENDER + "/" + id, MailjetSender::from);
    }

    /**
     * Asks Mailjet to validate a sender ({@code POST /v3/REST/sender/{id}/validate}): for a catch-all, it looks for
     * the ownership TXT record or the validation file. Mailjet answers 200 also when validation failed (see
     * {@link MailjetSenderValidation#isValidated()}) and 400 when the sender is already active.
     *
     * @param senderId the sender's id (not its dns id)
     * @return Mailjet's verdict
     */
    public MailjetSenderValidation validateSender(long senderId) {
        String path = SENDER + "/" + senderId + "/validate";
        return first(http.send(HttpRequestSpec.post(path, object()).retrySafe(true)), MailjetSenderValidation::from,
                "POST " + path);
    }

    // ---- dns

    /**
     * @param idOrDomain a dns id or a domain name (Mailjet accepts both)
     * @return the domain's dns entry, if Mailjet has one
     */
    public Optional<MailjetDns> getDns(String idOrDomain) {
        return getOne(DNS + "/" + pathSegment(idOrDomain), MailjetDns::from);
    }

    /** @return every dns entry of the account, all pages */
    public List<MailjetDns> listDns() {
        return listAll(DNS, Map.of(), MailjetDns::from);
    }

    /**
     * Makes Mailjet read the domain's live DNS now ({@code POST /v3/REST/dns/{id}/check}).
     *
     * @param idOrDomain a dns id or a domain name
     * @return what Mailjet found
     */
    public MailjetDnsCheck checkDns(String idOrDomain) {
        String path = DNS + "/" + pathSegment(idOrDomain) + "/check";
        return first(http.send(HttpRequestSpec.post(path, object()).retrySafe(true)), MailjetDnsCheck::from,
                "POST " + path);
    }

    // ---- parse routes

    /**
     * Creates a parse route. Mailjet happily creates a second route for the same address, so this is not
     * retried after an ambiguous failure; callers re-list before trying again.
     *
     * @param url where Mailjet posts the mail (may carry Basic credentials)
     * @param email the receiving address
     * @return the new route
     */
    public MailjetParseRoute createParseRoute(String url, String email) {
        ObjectNode body = object().put("Url", url).put("Email", email);
        return first(http.send(HttpRequestSpec.post(PARSEROUTE, body)), MailjetParseRoute::from, "POST " + PARSEROUTE);
    }

    /**
     * One page of parse routes.
     *
     * @param limit page size, 1 to {@value #MAX_LIMIT} (Mailjet's default when none is sent is 10)
     * @param offset how many to skip
     * @return the page
     */
    public MailjetPage<MailjetParseRoute> listParseRoutes(int limit, long offset) {
        return page(PARSEROUTE, Map.of(), limit, offset, MailjetParseRoute::from);
    }

    /** @return every parse route of the account, all pages of {@value #MAX_LIMIT} */
    public List<MailjetParseRoute> listAllParseRoutes() {
        return listAll(PARSEROUTE, Map.of(), MailjetParseRoute::from);
    }

    /**
     * @param id a route id
     * @return the route, if it exists
     */
    public Optional<MailjetParseRoute> getParseRoute(long id) {
        return getOne(PARSEROUTE + "/" + id, MailjetParseRoute::from);
    }

    /**
     * Points a route at another URL ({@code PUT}, a partial update).
     *
     * @param id the route id
     * @param url the new URL
     * @return whether anything changed: false when Mailjet answered 304 Not Modified
     * @throws ProviderServiceException with status 404 if the route does not exist
     */
    public boolean updateParseRoute(long id, String url) {
        HttpResponseData r = http.send(HttpRequestSpec.put(PARSEROUTE + "/" + id, object().put("Url", url)));
        return r.status() != 304;
    }

    /**
     * @param id a route id
     * @return whether a route was deleted; false if none had that id
     */
    public boolean deleteParseRoute(long id) {
        try {
            http.send(HttpRequestSpec.delete(PARSEROUTE + "/" + id));
            return true;
        } catch (ProviderServiceException e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    // ---- api keys

    /**
     * Creates a sub-account API key ({@code POST /v3/REST/apikey}); its pair is an SMTP login of its own. Mailjet
     * says to wait a few seconds before using a new key.
     *
     * @param name the key's name
     * @return the key, with its secret
     */
    public MailjetApiKey createApiKey(String name) {
        return first(http.send(HttpRequestSpec.post(APIKEY, object().put("Name", name))), MailjetApiKey::from,
                "POST " + APIKEY);
    }

    /**
     * Activates or deactivates an API key ({@code PUT /v3/REST/apikey/{id}} with {@code IsActive}). Mailjet documents
     * no deletion of keys; deactivating is how a key stops working as an SMTP login.
     *
     * @param id the key's id
     * @param active whether it should work
     * @return false if no key has that id
     */
    public boolean setApiKeyActive(long id, boolean active) {
        try {
            http.send(HttpRequestSpec.put(APIKEY + "/" + id, object().put("IsActive", active))); // 304: already so
            return true;
        } catch (ProviderServiceException e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** @return every API key of the account, all pages */
    public List<MailjetApiKey> listApiKeys() {
        return listAll(APIKEY, Map.of(), MailjetApiKey::from);
    }

    @Override
    public void close() {
        http.close();
    }

    // ---- plumbing

    private ObjectNode object() {
        return http.mapper().createObjectNode();
    }

    private static String pathSegment(String idOrDomain) {
        String s = idOrDomain.strip();
        if (s.matches("[0-9]{1,18}")) {
            return s;
        }
        return MailboxAddress.requireDomain(s.toLowerCase(java.util.Locale.ROOT));
    }

    private <T> Optional<T> getOne(String path, Function<JsonNode, T> mapper) {
        try {
            List<JsonNode> data = LenientJson.data(json(http.send(HttpRequestSpec.get(path)), "GET " + path));
            return data.isEmpty() ? Optional.empty() : Optional.of(mapper.apply(data.get(0)));
        } catch (ProviderServiceException e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private <T> T first(HttpResponseData r, Function<JsonNode, T> mapper, String operation) {
        List<JsonNode> data = LenientJson.data(json(r, operation));
        if (data.isEmpty()) {
            throw unexpected(operation, r.status(), "no Data in the response");
        }
        return mapper.apply(data.get(0));
    }

    private <T> MailjetPage<T> page(String path, Map<String, String> filters, int limit, long offset,
            Function<JsonNode, T> mapper) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
        }
        HttpRequestSpec spec = HttpRequestSpec.get(path);
        for (Map.Entry<String, String> f : filters.entrySet()) {
            spec = spec.query(f.getKey(), f.getValue());
        }
        spec = spec.query("Limit", Integer.toString(limit)).query("Offset", Long.toString(offset));
        JsonNode root = json(http.send(spec), "GET " + path);
        List<T> items = new ArrayList<>();
        for (JsonNode n : LenientJson.data(root)) {
            items.add(mapper.apply(n));
        }
        long count = root.has("Count") ? LenientJson.number(root, "Count") : items.size();
        return new MailjetPage<>(items, count, LenientJson.number(root, "Total"));
    }

    /**
     * Pages until a page is empty, or short while {@code Total} says nothing more is left. {@code Total} ends the
     * walk only when it clearly counts all items (it exceeds the page); whether it does for paged lists is
     * UNCONFIRMED, and stopping early would hide routes and so create duplicates, so a full page always leads to one
     * more request. A short page does not end the walk while {@code Total} counts more items than read so far: a
     * server that serves fewer than {@code Limit} items per page (UNCONFIRMED for Mailjet) is still read to the end.
     */
    private <T> List<T> listAll(String path, Map<String, String> filters, Function<JsonNode, T> mapper) {
        List<T> all = new ArrayList<>();
        long offset = 0;
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            MailjetPage<T> page = page(path, filters, MAX_LIMIT, offset, mapper);
            all.addAll(page.data());
            offset += page.data().size();
            boolean shortPage = page.data().size() < MAX_LIMIT;
            boolean totalCountsMore = page.total() > page.data().size() && offset < page.total();
            boolean totalReached = page.total() > page.data().size() && offset >= page.total();
            if (page.data().isEmpty() || (shortPage && !totalCountsMore) || totalReached) {
                return all;
            }
        }
        throw new IllegalStateException("more than " + MAX_PAGES + " pages at " + path);
    }

    private JsonNode json(HttpResponseData r, String operation) {
        try {
            JsonNode n = r.json();
            if (!n.isObject()) {
                throw unexpected(operation, r.status(), "the body is not a JSON object");
            }
            return n;
        } catch (UncheckedIOException e) {
            throw unexpected(operation, r.status(), "the body is not JSON");
        }
    }

    private ProviderServiceException unexpected(String operation, int status, String what) {
        return ProviderServiceException.builder(http.provider(), operation, status).message("unexpected answer: " + what).build();
    }
}
