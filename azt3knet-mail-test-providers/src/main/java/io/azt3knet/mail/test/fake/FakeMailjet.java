package io.azt3knet.mail.test.fake;


import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A stateful fake of the Mailjet v3 REST resources the module uses, as a WireMock extension: senders (with their
 * dns entries), validation, dns checks, parse routes (duplicates allowed, like the real API), API keys. It
 * checks Basic authentication, serves Mailjet's default page of 10 when {@code Limit} is missing, answers 304 to
 * a PUT that changes nothing, and can inject faults on route creation after the route was recorded.
 *
 * <p>Sub-account keys ({@code POST /v3/REST/apikey}) authenticate too, and each has its own senders, as Mailjet
 * documents ("senders are per API key"): a sender created with a sub-account key is listed only with that key, and
 * validated by the same ownership TXT record as the account's (UNCONFIRMED at Mailjet: the fake models the case
 * where it works). A sub-account key may use {@code sender} and {@code dns} only; anything else is answered 403, so
 * that a test notices a library using such a key beyond its senders (what Mailjet does there is UNCONFIRMED).
 *
 * <p>Part of the published test kit, for end-to-end tests and load runs:
 *
 * <pre>{@code
 * FakeMailjet mailjet = new FakeMailjet();
 * WireMockServer server = mailjet.startServer();           // 127.0.0.1, a free port
 * mailjet.latency(Duration.ofMillis(100));                 // every answer takes 100 ms
 * mailjet.rateLimit(40);                                   // a 41st call within a second gets a bare 429
 * mailjet.resolveDnsWith(fakeDesec::txt);                  // DNS checks and validation read the fake zone
 * // point MAILJET_API_URL at mailjet.baseUrl(), MAILJET_API_KEY/SECRET at KEY/SECRET
 * mailjet.stopServer();
 * }</pre>
 *
 * Thread-safe: every request is answered under the fake's lock (the latency is served outside it).
 */
public final class FakeMailjet extends FakeProviderServer {

    /** The API key the fake accepts. */
    public static final String KEY = "fakeapikey0123";
    /** The API secret key the fake accepts. */
    public static final String SECRET = "fake-api-secret-value";

    private static final Pattern ID_PATH = Pattern.compile("/v3/REST/(sender|dns|parseroute|apikey)(?:/([^/]+))?(?:/(validate|check))?");

    private final ObjectMapper json = new ObjectMapper();
    private final Map<Long, ObjectNode> senders = new TreeMap<>();
    private final Map<Long, ObjectNode> dns = new TreeMap<>();
    private final Map<Long, ObjectNode> routes = new TreeMap<>();
    private final Map<Long, ObjectNode> apiKeys = new TreeMap<>();
    /** The key that created each sender: 0 for the account's own key pair. */
    private final Map<Long, Long> senderOwners = new TreeMap<>();
    private final Deque<ResponseDefinition> afterApiKeyCreate = new ArrayDeque<>();
    private int apiKeyPosts;
    private int refusalsOfNewKeys;
    private final Map<Long, Integer> newKeyRefusalsLeft = new TreeMap<>();
    private volatile boolean secretKeysListed = true;
    private final Deque<ResponseDefinition> afterRouteCreate = new ArrayDeque<>();
    private final Deque<ResponseDefinition> insteadOfRouteCreate = new ArrayDeque<>();
    private final Deque<ResponseDefinition> afterRouteDelete = new ArrayDeque<>();
    private int failingDeleteStatus;
    private int deletesBeforeFailing;
    private int routeDeletes;
    private final Deque<Long> acceptedCallNanos = new ArrayDeque<>();
    private long nextId = 1000;
    private int failingListings;
    private int routePosts;
    private int calls;
    private int throttled;
    private int latencyMillis;
    private int callsPerSecond;
    private int pageSize = 1000;
    private long windowNanos = 1_000_000_000L;
    private @Nullable TxtLookup dnsLookup;

    private volatile boolean numbersAsStrings;
    private volatile boolean ownershipNameFullyQualified;
    private volatile String dkimStatus = "Not checked";
    private volatile String spfStatus = "Not checked";
    private volatile boolean ownershipPublished;


    /** The TXT records published at a name, as Mailjet's DNS check would find them. */
    @FunctionalInterface
    public interface TxtLookup {
        /**
         * @param fqdn a fully qualified name without the trailing dot, e.g. {@code mailjet._domainkey.example.org}
         * @return the TXT strings published there (each record's strings joined), empty when there are none
         */
        List<String> txt(String fqdn);
    }

    /** A fake with no senders, routes or keys; start it with {@link #startServer()}. */
    public FakeMailjet() {
        // state starts empty
    }

    /** @return the base URL to configure as {@code MAILJET_API_URL} */
    public URI baseUrl() {
        return base();
    }

    /** @param on whether numbers are written as strings, as Mailjet's documentation shows them */
    public void numbersAsStrings(boolean on) {
        this.numbersAsStrings = on;
    }

    /** @param on whether dns entries give the ownership record name fully qualified (with a trailing dot) */
    public void ownershipNameFullyQualified(boolean on) {
        this.ownershipNameFullyQualified = on;
    }

    /**
     * What the next DNS checks find, e.g. {@code "OK"}, {@code "Error"}, {@code "Not found"}.
     *
     * @param dkim the DKIM status
     * @param spf the SPF status
     */
    public void dnsCheckStatuses(String dkim, String spf) {
        this.dkimStatus = dkim;
        this.spfStatus = spf;
    }

    /** @param on whether the ownership TXT record counts as published, so that validation succeeds */
    public void ownershipPublished(boolean on) {
        this.ownershipPublished = on;
    }

    /** @return the WireMock extension name */
    @Override
    public String getName() {
        return "fake-mailjet";
    }

    /**
     * Every answer from now on is delayed by this much (a WireMock fixed delay), as a distant API would be.
     *
     * @param latency the delay; zero for none
     */
    public synchronized void latency(Duration latency) {
        this.latencyMillis = Math.toIntExact(latency.toMillis());
    }

    /**
     * Throttles like a provider with an undisclosed limit: a call arriving when {@code callsPerSecond} calls were
     * already accepted within the last second is answered 429 with an empty body and no {@code Retry-After}, as
     * Mailjet does. Throttled calls are not counted against the window.
     *
     * @param callsPerSecond calls accepted per sliding second; 0 for no limit
     */
    public synchronized void rateLimit(int callsPerSecond) {
        rateLimit(callsPerSecond, Duration.ofSeconds(1));
    }

    /**
     * Throttles like {@link #rateLimit(int)}, with a window of any length: {@code rateLimit(600, 1 minute)} is a
     * quota counted per minute, which refuses everything for the rest of the minute once spent.
     *
     * @param calls calls accepted per sliding window; 0 for no limit
     * @param window the window
     */
    public synchronized void rateLimit(int calls, Duration window) {
        if (calls < 0 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("calls must be >= 0 and the window positive");
        }
        this.callsPerSecond = calls;
        this.windowNanos = window.toNanos();
        acceptedCallNanos.clear();
    }

    /**
     * Serves pages of at most {@code size} items whatever {@code Limit} asks for (default 1000, Mailjet's largest
     * page), so that end-to-end tests walk several pages with few items. {@code Count} is the number of items in
     * the page, {@code Total} the number of all matching items. Whether Mailjet itself ever serves fewer items than
     * asked for is UNCONFIRMED; a client that pages until {@code Total} is reached copes either way.
     *
     * @param size the largest page served, at least 1
     */
    public synchronized void pageSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1, got " + size);
        }
        this.pageSize = size;
    }

    /**
     * Makes DNS checks and sender validation read real zone contents instead of the fixed statuses: DKIM is OK when
     * the TXT at {@code DKIMRecordName} holds {@code DKIMRecordValue}, SPF when the domain's SPF record includes
     * {@code spf.mailjet.com}, and validation succeeds when the ownership token is published.
     *
     * @param lookup where the fake looks names up, e.g. a fake DNS provider's zone
     */
    public synchronized void resolveDnsWith(TxtLookup lookup) {
        this.dnsLookup = Objects.requireNonNull(lookup, "lookup");
    }

    /** @return every call received, throttled ones included */
    public synchronized int calls() {
        return calls;
    }

    /** @return the calls answered 429 by {@link #rateLimit(int)} */
    public synchronized int throttled() {
        return throttled;
    }

    /**
     * Adds the catch-all sender {@code *@domain} with its dns entry, as if created earlier through the web UI.
     *
     * @param domain the domain
     * @param active whether the sender is already validated
     */
    public synchronized void addDomainSender(String domain, boolean active) {
        String d = domain.toLowerCase(Locale.ROOT);
        long sid = nextId++;
        senders.put(sid, json.createObjectNode().put("ID", sid).put("Email", "*@" + d).put("Name", "")
                .put("Status", active ? "Active" : "Inactive").put("DNSID", newDns(d))
                .put("Filename", "abcdef0123456789.txt").put("IsDefaultSender", false).put("EmailType", "unknown")
                .put("CreatedAt", "2024-03-05T09:15:22Z"));
    }

    /** @return how many senders exist (deleted ones included) */
    public synchronized int senderCount() {
        return senders.size();
    }

    /**
     * The next route creation records the route, then answers with this fault.
     *
     * @param fault e.g. {@link Fault#CONNECTION_RESET_BY_PEER}
     */
    public synchronized void afterNextRouteCreate(Fault fault) {
        afterRouteCreate.add(ResponseDefinitionBuilder.responseDefinition().withFault(fault).build());
    }

    /**
     * The next route creation records the route, then answers with this status and body.
     *
     * @param status the status, e.g. 500
     * @param body the body, may be empty
     */
    public synchronized void afterNextRouteCreate(int status, String body) {
        afterRouteCreate.add(ResponseDefinitionBuilder.responseDefinition().withStatus(status).withBody(body).build());
    }

    /**
     * The next route creation records nothing and answers with this status and body.
     *
     * @param status the status, e.g. 500
     * @param body the body, may be empty
     */
    public synchronized void failNextRouteCreate(int status, String body) {
        insteadOfRouteCreate.add(ResponseDefinitionBuilder.responseDefinition().withStatus(status).withBody(body).build());
    }

    /**
     * The next route creation records nothing and is answered like this (a fault, headers, a delay).
     *
     * @param answer the answer
     */
    public synchronized void failNextRouteCreate(ResponseDefinitionBuilder answer) {
        insteadOfRouteCreate.add(answer.build());
    }

    /**
     * The next route creation records the route, then is answered like this (a fault, a delay, a broken body).
     *
     * @param answer the answer
     */
    public synchronized void afterNextRouteCreate(ResponseDefinitionBuilder answer) {
        afterRouteCreate.add(answer.build());
    }

    /**
     * The next route deletion deletes the route, then answers with this fault: the answer is lost.
     *
     * @param fault e.g. {@link Fault#CONNECTION_RESET_BY_PEER}
     */
    public synchronized void afterNextRouteDelete(Fault fault) {
        afterRouteDelete.add(ResponseDefinitionBuilder.responseDefinition().withFault(fault).build());
    }

    /**
     * From now on route deletions delete nothing and answer with this status and an empty body.
     *
     * @param status the status, e.g. 503; 0 to stop failing
     */
    public synchronized void failRouteDeletes(int status) {
        failingDeleteStatus = status;
        deletesBeforeFailing = 0;
    }

    /**
     * The next {@code n} route deletions work; every one after them deletes nothing and answers with this status,
     * as a provider failing midway through a batch.
     *
     * @param n how many deletions still work
     * @param status the status, e.g. 503
     */
    public synchronized void failRouteDeletesAfter(int n, int status) {
        failingDeleteStatus = status;
        deletesBeforeFailing = n;
    }

    /**
     * Deletes every route of an address, as another tool (or a person in the web UI) would.
     *
     * @param email the address
     * @return how many routes were deleted
     */
    public synchronized int deleteRoutesOf(String email) {
        List<Long> ids = routes.values().stream().filter(r -> r.get("Email").asText().equalsIgnoreCase(email))
                .map(r -> r.get("ID").asLong()).toList();
        ids.forEach(routes::remove);
        return ids.size();
    }

    /** @return how many route deletions were asked for, failed ones and unknown ids included */
    public synchronized int routeDeletes() {
        return routeDeletes;
    }

    /**
     * The next {@code n} route listings answer 503 with an HTML page.
     *
     * @param n how many
     */
    public synchronized void failNextRouteListings(int n) {
        failingListings = n;
    }

    /** @return how many route creations were asked for, failed ones included */
    public synchronized int routePosts() {
        return routePosts;
    }

    /**
     * @param email an address
     * @return the routes for it (case-insensitive), as the API shows them
     */
    public synchronized List<JsonNode> routesFor(String email) {
        return routes.values().stream().filter(r -> r.get("Email").asText().equalsIgnoreCase(email))
                .map(r -> (JsonNode) r).toList();
    }

    /**
     * Adds a route as another tool would.
     *
     * @param email the address
     * @param url where it posts
     * @return the route id
     */
    public synchronized long addRoute(String email, String url) {
        long id = nextId++;
        routes.put(id, route(id, email, url));
        return id;
    }

    /**
     * @param name an API key's name
     * @return whether a key of that name exists and is active
     */
    public synchronized boolean apiKeyActive(String name) {
        return apiKeys.values().stream().anyMatch(k -> k.get("Name").asText().equals(name)
                && k.get("IsActive").asBoolean());
    }

    /**
     * The next API key creation records the key, then answers with this fault: the answer is lost.
     *
     * @param fault e.g. {@link Fault#CONNECTION_RESET_BY_PEER}
     */
    public synchronized void afterNextApiKeyCreate(Fault fault) {
        afterApiKeyCreate.add(ResponseDefinitionBuilder.responseDefinition().withFault(fault).build());
    }

    /**
     * The next API key creation records the key, then answers with this status and body.
     *
     * @param status the status, e.g. 500
     * @param body the body, may be empty
     */
    public synchronized void afterNextApiKeyCreate(int status, String body) {
        afterApiKeyCreate.add(ResponseDefinitionBuilder.responseDefinition().withStatus(status).withBody(body).build());
    }

    /** @return how many API key creations were asked for, failed ones included */
    public synchronized int apiKeyPosts() {
        return apiKeyPosts;
    }

    /**
     * Mailjet says to wait a few seconds before using a new key: from now on, the first {@code calls} requests made
     * with each newly created key are answered 401.
     *
     * @param calls refusals per new key; 0 for none
     */
    public synchronized void newKeysRefusedFor(int calls) {
        this.refusalsOfNewKeys = calls;
    }

    /** @param on whether listing API keys shows their {@code SecretKey} (UNCONFIRMED at Mailjet; default true) */
    public void secretKeysListed(boolean on) {
        this.secretKeysListed = on;
    }

    /**
     * @param keyName a sub-account key's name
     * @return the senders (their {@code Email}) registered with that key, deleted ones excluded
     */
    public synchronized List<String> sendersOfKey(String keyName) {
        long owner = apiKeys.values().stream().filter(k -> k.get("Name").asText().equals(keyName))
                .mapToLong(k -> k.get("ID").asLong()).findFirst().orElse(-1);
        return senders.values().stream().filter(x -> senderOwners.getOrDefault(x.get("ID").asLong(), 0L) == owner)
                .filter(x -> !x.get("Status").asText().equals("Deleted")).map(x -> x.get("Email").asText()).toList();
    }

    /**
     * @param keyName a sub-account key's name
     * @return its public key ({@code APIKey}), if a key of that name exists
     */
    public synchronized Optional<String> apiKeyOf(String keyName) {
        return apiKeys.values().stream().filter(k -> k.get("Name").asText().equals(keyName))
                .map(k -> k.get("APIKey").asText()).findFirst();
    }

    /**
     * @param keyName a sub-account key's name
     * @return its secret key, if a key of that name exists
     */
    public synchronized Optional<String> secretKeyOf(String keyName) {
        return apiKeys.values().stream().filter(k -> k.get("Name").asText().equals(keyName))
                .map(k -> k.get("SecretKey").asText()).findFirst();
    }

    /** @return the secret keys of every sub-account key created so far (for tests that look for leaks) */
    public synchronized List<String> secretKeys() {
        return apiKeys.values().stream().map(k -> k.get("SecretKey").asText()).toList();
    }

    /** @return how many API keys exist, active or not */
    public synchronized int apiKeyCount() {
        return apiKeys.size();
    }

    /** @return how many routes exist */
    public synchronized int routeCount() {
        return routes.size();
    }

    /**
     * @return the addresses (lower-cased) that have more than one route: never any, if the client is idempotent
     */
    public synchronized List<String> duplicateRouteAddresses() {
        Map<String, Integer> counts = new TreeMap<>();
        routes.values().forEach(r -> counts.merge(r.get("Email").asText().toLowerCase(Locale.ROOT), 1, Integer::sum));
        return counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    }

    @Override
    protected synchronized ResponseDefinition respond(ServeEvent event) {
        calls++;
        ResponseDefinition answer = throttle().orElseGet(() -> answer(event.getRequest()));
        return latencyMillis == 0 || answer.getFault() != null ? answer
                : ResponseDefinitionBuilder.like(answer).withFixedDelay(latencyMillis).build();
    }

    private Optional<ResponseDefinition> throttle() {
        if (callsPerSecond == 0) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        while (!acceptedCallNanos.isEmpty() && now - acceptedCallNanos.peekFirst() >= windowNanos) {
            acceptedCallNanos.pollFirst();
        }
        if (acceptedCallNanos.size() >= callsPerSecond) {
            throttled++;
            return Optional.of(ResponseDefinitionBuilder.responseDefinition().withStatus(429).build());
        }
        acceptedCallNanos.addLast(now);
        return Optional.empty();
    }

    /** @return the id of the key the request authenticates with: 0 for the account's pair, -1 for none */
    private long caller(Request req) {
        String header = req.getHeader("Authorization");
        if (basic(KEY, SECRET).equals(header)) {
            return 0;
        }
        for (ObjectNode k : apiKeys.values()) {
            if (k.get("IsActive").asBoolean() && basic(k.get("APIKey").asText(), k.get("SecretKey").asText()).equals(header)) {
                return k.get("ID").asLong();
            }
        }
        return -1;
    }

    private static String basic(String key, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private ResponseDefinition answer(Request req) {
        long caller = caller(req);
        if (caller > 0 && newKeyRefusalsLeft.getOrDefault(caller, 0) > 0) {
            newKeyRefusalsLeft.merge(caller, -1, Integer::sum);
            caller = -1; // a new key, not usable yet
        }
        if (caller < 0) {
            return error(401, "API key authentication/authorization failure. You may be unauthorized to access the API"
                    + " or your API key may be expired. Visit API keys management section to check your keys.");
        }
        String path = URI.create(req.getUrl()).getPath();
        Matcher m = ID_PATH.matcher(path);
        if (!m.matches()) {
            return error(400, "Unknown resource: \"" + path + "\"");
        }
        String resource = m.group(1);
        if (caller > 0 && !resource.equals("sender") && !resource.equals("dns")) {
            return error(403, "Forbidden");
        }
        String id = m.group(2);
        String action = m.group(3);
        String method = req.getMethod().getName();
        JsonNode body = null;
        if (req.getBodyAsString() != null && !req.getBodyAsString().isEmpty()) {
            try {
                body = json.readTree(req.getBodyAsString());
            } catch (IOException e) {
                return error(400, "Malformed JSON");
            }
        }
        return switch (resource) {
            case "sender" -> sender(method, id, action, body, req, caller);
            case "dns" -> dns(method, id, action, req);
            case "parseroute" -> parseroute(method, id, body, req);
            default -> apikey(method, id, body, req);
        };
    }

    private ResponseDefinition sender(String method, String id, String action, JsonNode body, Request req,
            long caller) {
        Predicate<ObjectNode> owned = s -> senderOwners.getOrDefault(s.get("ID").asLong(), 0L) == caller;
        if (method.equals("POST") && id == null) {
            String email = body.path("Email").asText();
            if (senders.values().stream().filter(owned).anyMatch(s -> s.get("Email").asText().equalsIgnoreCase(email)
                    && !s.get("Status").asText().equals("Deleted"))) {
                return error(400, "There is already a sender with this email address");
            }
            String domain = email.substring(email.indexOf('@') + 1).toLowerCase(Locale.ROOT);
            long dnsId = dns.values().stream().filter(d -> d.get("Domain").asText().equals(domain))
                    .mapToLong(d -> d.get("ID").asLong()).findFirst().orElseGet(() -> newDns(domain));
            long sid = nextId++;
            ObjectNode s = json.createObjectNode().put("ID", sid).put("Email", email).put("Name", body.path("Name").asText())
                    .put("Status", "Inactive").put("DNSID", dnsId).put("Filename", "abcdef0123456789.txt")
                    .put("IsDefaultSender", false).put("EmailType", "unknown").put("CreatedAt", "2024-03-05T09:15:22Z");
            senders.put(sid, s);
            senderOwners.put(sid, caller);
            return data(201, List.of(s));
        }
        if (id == null) {
            String email = param(req, "Email");
            String domain = param(req, "Domain");
            return page(req, senders, s -> owned.test(s)
                    && (email == null || s.get("Email").asText().equalsIgnoreCase(email))
                    && (domain == null || s.get("Email").asText().toLowerCase(Locale.ROOT).endsWith("@" + domain))
                    && !s.get("Status").asText().equals("Deleted"));
        }
        ObjectNode s = senders.get(parseId(id));
        if (s == null || !owned.test(s)) {
            return error(404, "Object not found");
        }
        if ("validate".equals(action) && method.equals("POST")) {
            if (s.get("Status").asText().equals("Active")) {
                return error(400, "Sender is already active");
            }
            ObjectNode v = json.createObjectNode();
            if (ownershipPublished(s)) {
                s.put("Status", "Active");
                v.putObject("Errors");
                v.put("ValidationMethod", "DNS").put("GlobalError", "");
            } else {
                v.putObject("Errors").put("DNSValidationError", "No TXT record found")
                        .put("FileValidationError", "The file was not found");
                v.put("ValidationMethod", "").put("GlobalError", "Neither the file abcdef0123456789.txt nor the DNS TXT"
                        + " record have been found, check your settings and try again.");
            }
            return data(200, List.of(v));
        }
        return data(200, List.of(s));
    }

    private long newDns(String domain) {
        long id = nextId++;
        String token = "4f2a1200062" + id;
        String name = "mailjet._" + Long.toHexString(id) + (ownershipNameFullyQualified ? "." + domain + "." : "");
        dns.put(id, json.createObjectNode().put("ID", id).put("Domain", domain)
                .put("DKIMRecordName", "mailjet._domainkey." + domain)
                .put("DKIMRecordValue", "k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDfake" + id)
                .put("DKIMStatus", "Not checked").put("SPFRecordValue", "v=spf1 include:spf.mailjet.com ?all")
                .put("SPFStatus", "Not checked").put("OwnerShipToken", token).put("OwnerShipTokenRecordName", name)
                .put("IsCheckInProgress", false).put("LastCheckAt", ""));
        return id;
    }

    private ResponseDefinition dns(String method, String id, String action, Request req) {
        if (id == null) {
            return page(req, dns, d -> true);
        }
        ObjectNode d = dns.values().stream().filter(x -> x.get("ID").asText().equals(id)
                || x.get("Domain").asText().equalsIgnoreCase(id)).findFirst().orElse(null);
        if (d == null) {
            return error(404, "Object not found");
        }
        if ("check".equals(action) && method.equals("POST")) {
            String dkimStatus = dkimStatus(d);
            String spfStatus = spfStatus(d);
            d.put("DKIMStatus", dkimStatus).put("SPFStatus", spfStatus);
            ObjectNode c = json.createObjectNode();
            c.put("DKIMStatus", dkimStatus).put("DKIMRecordCurrentValue", dkimStatus.equals("OK")
                    ? d.get("DKIMRecordValue").asText() : "");
            ArrayNode dkimErrors = c.putArray("DKIMErrors");
            if (!dkimStatus.equals("OK")) {
                dkimErrors.add("no DKIM record");
            }
            c.put("SPFStatus", spfStatus);
            ArrayNode spfErrors = c.putArray("SPFErrors");
            ArrayNode spfValues = c.putArray("SPFRecordsCurrentValues");
            if (spfStatus.equals("OK")) {
                spfValues.add("v=spf1 include:spf.mailjet.com -all");
            } else {
                spfErrors.add("no SPF record found");
            }
            return data(200, List.of(c));
        }
        return data(200, List.of(d));
    }

    private String dkimStatus(ObjectNode d) {
        TxtLookup lookup = dnsLookup;
        if (lookup == null) {
            return dkimStatus;
        }
        return lookup.txt(d.get("DKIMRecordName").asText()).contains(d.get("DKIMRecordValue").asText()) ? "OK" : "Error";
    }

    private String spfStatus(ObjectNode d) {
        TxtLookup lookup = dnsLookup;
        if (lookup == null) {
            return spfStatus;
        }
        List<String> spf = lookup.txt(d.get("Domain").asText()).stream().filter(t -> t.startsWith("v=spf1 ")).toList();
        return spf.size() == 1 && List.of(spf.get(0).split(" ")).contains("include:spf.mailjet.com") ? "OK" : "Error";
    }

    private boolean ownershipPublished(ObjectNode sender) {
        TxtLookup lookup = dnsLookup;
        if (lookup == null) {
            return ownershipPublished;
        }
        ObjectNode d = dns.get(sender.get("DNSID").asLong());
        String name = d.get("OwnerShipTokenRecordName").asText();
        String fqdn = name.endsWith(".") ? name.substring(0, name.length() - 1) : name + "." + d.get("Domain").asText();
        return lookup.txt(fqdn).contains(d.get("OwnerShipToken").asText());
    }

    private ResponseDefinition parseroute(String method, String id, JsonNode body, Request req) {
        if (id == null && method.equals("GET")) {
            if (failingListings > 0) {
                failingListings--;
                return ResponseDefinitionBuilder.responseDefinition().withStatus(503)
                        .withHeader("Content-Type", "text/html").withBody("<html><body>503</body></html>").build();
            }
            return page(req, routes, r -> true);
        }
        if (id == null && method.equals("POST")) {
            routePosts++;
            ResponseDefinition instead = insteadOfRouteCreate.poll();
            if (instead != null) {
                return instead;
            }
            if (body == null || body.path("Url").asText().isEmpty()) {
                return error(400, "Url is required");
            }
            long rid = nextId++;
            ObjectNode r = route(rid, body.path("Email").asText(), body.path("Url").asText());
            routes.put(rid, r);
            ResponseDefinition after = afterRouteCreate.poll();
            return after != null ? after : data(201, List.of(r));
        }
        if (method.equals("DELETE")) {
            routeDeletes++;
            if (failingDeleteStatus != 0 && deletesBeforeFailing > 0) {
                deletesBeforeFailing--;
            } else if (failingDeleteStatus != 0) {
                return ResponseDefinitionBuilder.responseDefinition().withStatus(failingDeleteStatus).build();
            }
        }
        ObjectNode r = routes.get(parseId(id));
        if (r == null) {
            return error(404, "Object not found");
        }
        switch (method) {
            case "PUT" -> {
                String url = body.path("Url").asText(r.get("Url").asText());
                if (url.equals(r.get("Url").asText())) {
                    return ResponseDefinitionBuilder.responseDefinition().withStatus(304).build();
                }
                r.put("Url", url);
                return data(200, List.of(r));
            }
            case "DELETE" -> {
                routes.remove(r.get("ID").asLong());
                ResponseDefinition after = afterRouteDelete.poll();
                return after != null ? after : ResponseDefinitionBuilder.responseDefinition().withStatus(204).build();
            }
            default -> {
                return data(200, List.of(r));
            }
        }
    }

    private ObjectNode route(long id, String email, String url) {
        return json.createObjectNode().put("ID", id).put("Email", email).put("Url", url).put("APIKeyID", 42);
    }

    private ResponseDefinition apikey(String method, String id, JsonNode body, Request req) {
        if (id != null) {
            ObjectNode k = apiKeys.get(parseId(id));
            if (k == null) {
                return error(404, "Object not found");
            }
            if (method.equals("PUT") && body != null && body.has("IsActive")) {
                boolean active = body.get("IsActive").asBoolean();
                if (k.get("IsActive").asBoolean() == active) {
                    return ResponseDefinitionBuilder.responseDefinition().withStatus(304).build();
                }
                k.put("IsActive", active);
            }
            return data(200, List.of(k));
        }
        if (method.equals("POST")) {
            apiKeyPosts++;
            long kid = nextId++;
            ObjectNode k = json.createObjectNode().put("ID", kid).put("Name", body.path("Name").asText())
                    .put("APIKey", "subkey" + kid).put("SecretKey", "subsecret" + kid).put("IsActive", true);
            apiKeys.put(kid, k);
            if (refusalsOfNewKeys > 0) {
                newKeyRefusalsLeft.put(kid, refusalsOfNewKeys);
            }
            ResponseDefinition after = afterApiKeyCreate.poll();
            return after != null ? after : data(201, List.of(k));
        }
        if (!secretKeysListed) {
            Map<Long, ObjectNode> withoutSecrets = new TreeMap<>();
            apiKeys.forEach((kid, k) -> withoutSecrets.put(kid, k.deepCopy().put("SecretKey", "")));
            return page(req, withoutSecrets, k -> true);
        }
        return page(req, apiKeys, k -> true);
    }

    private static long parseId(String id) {
        return id.matches("[0-9]{1,18}") ? Long.parseLong(id) : -1;
    }

    private static String param(Request req, String name) {
        QueryParameter p = req.queryParameter(name);
        return p != null && p.isPresent() ? p.firstValue() : null;
    }

    private ResponseDefinition page(Request req, Map<Long, ObjectNode> all, Predicate<ObjectNode> filter) {
        String limitParam = param(req, "Limit");
        String offsetParam = param(req, "Offset");
        int limit = limitParam == null ? 10 : Integer.parseInt(limitParam); // Mailjet's default page
        if (limit > 1000) {
            return error(400, "Limit must be at most 1000");
        }
        limit = Math.min(limit, pageSize);
        int offset = offsetParam == null ? 0 : Integer.parseInt(offsetParam);
        List<ObjectNode> matching = new ArrayList<>();
        all.values().stream().filter(filter).forEach(matching::add);
        List<ObjectNode> slice = matching.subList(Math.min(offset, matching.size()),
                Math.min(offset + limit, matching.size()));
        return data(200, slice, matching.size());
    }

    private ResponseDefinition data(int status, List<ObjectNode> items) {
        return data(status, items, items.size());
    }

    private ResponseDefinition data(int status, List<ObjectNode> items, int total) {
        ObjectNode root = json.createObjectNode();
        ArrayNode data = json.createArrayNode();
        for (ObjectNode item : items) {
            data.add(numbersAsStrings ? stringly(item) : item.deepCopy());
        }
        if (numbersAsStrings) {
            root.put("Count", Integer.toString(items.size())).set("Data", data);
            root.put("Total", Integer.toString(total));
        } else {
            root.put("Count", items.size()).set("Data", data);
            root.put("Total", total);
        }
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(root.toString()).build();
    }

    private ObjectNode stringly(ObjectNode item) {
        ObjectNode copy = json.createObjectNode();
        item.properties().forEach(f -> {
            JsonNode v = f.getValue();
            if (v.isNumber() || v.isBoolean()) {
                copy.put(f.getKey(), v.asText());
            } else {
                copy.set(f.getKey(), v.deepCopy());
            }
        });
        return copy;
    }

    private ResponseDefinition error(int status, String message) {
        ObjectNode e = json.createObjectNode().put("ErrorInfo", "").put("ErrorMessage", message).put("StatusCode", status);
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(e.toString()).build();
    }
}
