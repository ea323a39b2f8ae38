package io.azt3knet.mail.test.fake;

import static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.azt3knet.mail.dns.DnsRecordSet;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A stateful stand-in for deSEC's REST API as a WireMock extension, built from the documented behaviour:
 * token auth, trailing slashes, domain objects with {@code minimum_ttl}, record-set lists with cursor
 * pagination (400 "Pagination required" plus {@code Link} above the page size), and atomic bulk PATCH with
 * per-item validation errors (TTL minimum, quoted TXT, fully qualified MX, no {@code @} in bodies).
 * TXT strings longer than 255 characters are stored split, as deSEC does. Also the DynDNS update service
 * ({@code /update/}: Basic auth with the domain and the token, {@code hostname} (the domain or a name under it),
 * {@code myipv4}/{@code myipv6} with
 * {@code preserve}, a missing family deleted, answer {@code good}) and check-IP ({@code /checkip/}, plain text).
 * deSEC's throttling on demand ({@link #throttleWrites}, {@link #throttleNextWrites}, {@link #throttleDynDns}: 429
 * with {@code Retry-After} and
 * the documented detail), a lowered page size ({@link #pageSize}) and faults on any request
 * ({@link #failNext}, {@link #afterNext}).
 *
 * <p>Part of the published test kit, for end-to-end tests:
 *
 * <pre>{@code
 * FakeDesec desec = new FakeDesec("agents.example.org", 3600);
 * desec.startServer();                                  // 127.0.0.1, a free port
 * // DESEC_API_URL=desec.apiUrl(), DESEC_DYNDNS_UPDATE_URL=desec.dynDnsUpdateUrl(),
 * // DESEC_CHECKIP_URL=desec.checkIpUrl(), DESEC_TOKEN=FakeDesec.TOKEN
 * desec.stopServer();
 * }</pre>
 *
 * Thread-safe: every request is answered under the fake's lock.
 */
public final class FakeDesec extends FakeProviderServer {

    /** The API token the fake accepts. */
    public static final String TOKEN = "fake-desec-token-3f9a";
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String domain;
    private final int minimumTtl;
    private final Map<String, ObjectNode> rrsets = new LinkedHashMap<>();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong dynDnsUpdates = new AtomicLong();
    private final AtomicLong checkIpCalls = new AtomicLong();
    private int pageSize = 500;
    private final Throttle writeThrottle = new Throttle();
    private final Throttle dynDnsThrottle = new Throttle();
    private int throttled;
    private String publicIpv4 = "198.51.100.1";

    /**
     * A zone holding only deSEC's NS records.
     *
     * @param domain the one domain of the account
     * @param minimumTtl the domain's {@code minimum_ttl}
     */
    public FakeDesec(String domain, int minimumTtl) {
        this.domain = domain;
        this.minimumTtl = minimumTtl;
        rrsets.put(key("", "NS"), rrset("", "NS", 3600, List.of("ns1.desec.io.", "ns2.desec.org.")));
    }

    /** @return the WireMock extension name */
    @Override
    public String getName() {
        return "fake-desec";
    }

    /** @return the value for {@code DESEC_API_URL} */
    public URI apiUrl() {
        return base().resolve("/api/v1");
    }

    /** @return the value for {@code DESEC_DYNDNS_UPDATE_URL} */
    public URI dynDnsUpdateUrl() {
        return base().resolve("/update/");
    }

    /** @return the value for {@code DESEC_CHECKIP_URL} */
    public URI checkIpUrl() {
        return base().resolve("/checkip/");
    }

    /** @param size record sets per page before deSEC demands pagination (default 500) */
    public synchronized void pageSize(int size) {
        this.pageSize = size;
    }

    /**
     * Throttles record-set writes like deSEC's per-domain scopes ({@code dns_api_per_domain_expensive}: 2/s, 15/min,
     * 100/h, 300/day): a write arriving when {@code permits} writes were already accepted within the sliding
     * {@code window} is answered 429 with {@code Retry-After} (whole seconds until a slot frees) and deSEC's JSON
     * body {@code {"detail": "Request was throttled. Expected available in N seconds."}}, and writes nothing. As
     * with deSEC, a throttled request does not count against the window.
     *
     * @param permits writes accepted per window; 0 for no limit
     * @param window the sliding window
     */
    public synchronized void throttleWrites(int permits, Duration window) {
        writeThrottle.set(permits, window);
    }

    /**
     * The next {@code n} record-set writes are refused as deSEC refuses a write once a longer bucket (per hour, per
     * day) is spent, for instance by another client sharing the token: 429 with {@code Retry-After} and deSEC's JSON
     * detail, nothing written.
     *
     * @param n how many writes to refuse
     * @param retryAfter the wait announced (whole seconds)
     */
    public synchronized void throttleNextWrites(int n, Duration retryAfter) {
        if (n < 1 || retryAfter.isNegative()) {
            throw new IllegalArgumentException("n must be at least 1 and retryAfter not negative");
        }
        writeThrottle.refuseNext(n, retryAfter.toNanos());
    }

    /**
     * Throttles DynDNS updates like deSEC's {@code dyndns} scope (2 per 2 minutes per domain): an update beyond
     * the limit is answered 429 with {@code Retry-After} and the throttle detail as plain text, and changes
     * nothing.
     *
     * @param permits updates accepted per window; 0 for no limit
     * @param window the sliding window
     */
    public synchronized void throttleDynDns(int permits, Duration window) {
        dynDnsThrottle.set(permits, window);
    }

    /** @return how many requests were answered 429 by {@link #throttleWrites} or {@link #throttleDynDns} */
    public synchronized int throttled() {
        return throttled;
    }

    /** @return how many bulk PATCHes were received, refused ones included, throttled ones not ({@link #throttled()}) */
    public long writes() {
        return writes.get();
    }

    /** @param address what check-IP answers from now on (default {@code 198.51.100.1}) */
    public synchronized void publicIpv4(String address) {
        this.publicIpv4 = address;
    }

    /** @return how many DynDNS updates were accepted (answered {@code good}) */
    public int dynDnsUpdates() {
        return (int) dynDnsUpdates.get();
    }

    /** @return how many check-IP requests arrived */
    public long checkIpCalls() {
        return checkIpCalls.get();
    }

    /**
     * Puts a record set (logical form) as if written through the web UI.
     *
     * @param set the record set; TXT records unquoted
     */
    public synchronized void seed(DnsRecordSet set) {
        List<String> wire = new ArrayList<>();
        for (String r : set.records()) {
            wire.add(set.type().equals("TXT") ? "\"" + r.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : r);
        }
        rrsets.put(key(set.subname(), set.type()), rrset(set.subname(), set.type(), set.ttl(), wire));
    }

    /**
     * Puts a record set exactly as given in presentation form (TXT strings quoted, split and escaped by hand).
     *
     * @param subname the subname, empty for the apex
     * @param type the type
     * @param ttl the TTL
     * @param wire the records as the API returns them
     */
    public synchronized void seedWire(String subname, String type, int ttl, List<String> wire) {
        rrsets.put(key(subname, type), rrset(subname, type, ttl, wire));
    }

    /**
     * @param subname the subname, empty for the apex
     * @param type the type
     * @return the stored record set as the API returns it, or {@code null} when there is none
     */
    public synchronized @Nullable JsonNode stored(String subname, String type) {
        return rrsets.get(key(subname, type));
    }

    /**
     * The TXT records at a name in logical form: each record's quoted strings unquoted and joined, as a resolver
     * would hand them to Mailjet's DNS check.
     *
     * @param fqdn a name in this domain, without the trailing dot
     * @return the TXT records there, empty if none
     */
    public synchronized List<String> txt(String fqdn) {
        String name = fqdn.toLowerCase(java.util.Locale.ROOT);
        String subname = name.equals(domain) ? "" : name.endsWith("." + domain)
                ? name.substring(0, name.length() - domain.length() - 1) : null;
        ObjectNode set = subname == null ? null : rrsets.get(key(subname, "TXT"));
        if (set == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode record : set.get("records")) {
            StringBuilder joined = new StringBuilder();
            Matcher m = QUOTED.matcher(record.asText());
            while (m.find()) {
                joined.append(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
            }
            out.add(joined.toString());
        }
        return out;
    }

    @Override
    protected synchronized ResponseDefinition respond(ServeEvent event) {
        Request req = event.getRequest();
        String path = req.getUrl().split("\\?", 2)[0];
        if (path.equals("/checkip/")) {
            checkIpCalls.incrementAndGet();
            return text(200, publicIpv4 + "\n");
        }
        if (path.equals("/update/")) {
            return dynDnsUpdate(req);
        }
        if (!("Token " + TOKEN).equals(req.getHeader("Authorization"))) {
            return json(401, "{\"detail\":\"Invalid token.\"}");
        }
        if (!path.endsWith("/")) {
            return responseDefinition().withStatus(301).withHeader("Location", path + "/").build();
        }
        String method = req.getMethod().getName();
        String domainPath = "/api/v1/domains/" + domain + "/";
        if (method.equals("GET") && path.equals(domainPath)) {
            return json(200, "{\"created\":\"2026-01-01T00:00:00Z\",\"published\":\"2026-01-01T00:00:00Z\",\"name\":\""
                    + domain + "\",\"minimum_ttl\":" + minimumTtl + ",\"touched\":\"2026-01-01T00:00:00Z\",\"keys\":[]}");
        }
        if (path.equals(domainPath + "rrsets/")) {
            if (method.equals("GET")) {
                return list(req);
            }
            if (method.equals("PATCH")) {
                ResponseDefinition refused = throttle(writeThrottle, false);
                return refused != null ? refused : bulkPatch(req);
            }
            return json(405, "{\"detail\":\"Method \\\"" + method + "\\\" not allowed.\"}");
        }
        return json(404, "{\"detail\":\"Not found.\"}");
    }

    private ResponseDefinition list(Request req) {
        List<ObjectNode> all = new ArrayList<>();
        QueryParameter subname = req.queryParameter("subname");
        QueryParameter type = req.queryParameter("type");
        for (ObjectNode n : rrsets.values()) {
            if ((!subname.isPresent() || n.get("subname").asText().equals(subname.firstValue()))
                    && (!type.isPresent() || n.get("type").asText().equals(type.firstValue()))) {
                all.add(n);
            }
        }
        String base = req.getAbsoluteUrl().split("\\?", 2)[0];
        QueryParameter cursor = req.queryParameter("cursor");
        if (!cursor.isPresent()) {
            if (all.size() <= pageSize) {
                return json(200, array(all).toString());
            }
            return responseDefinition().withStatus(400).withHeader("Content-Type", "application/json")
                    .withHeader("Link", "<" + base + "?cursor=>; rel=\"first\"")
                    .withBody("{\"detail\":\"Pagination required. You can query up to " + pageSize + " items at a time ("
                            + all.size() + " total). Please use the `first` page link (see Link header).\"}")
                    .build();
        }
        String c = URLDecoder.decode(cursor.firstValue(), StandardCharsets.UTF_8);
        int offset = c.isEmpty() ? 0 : Integer.parseInt(c.substring(1));
        int end = Math.min(offset + pageSize, all.size());
        List<String> links = new ArrayList<>();
        links.add("<" + base + "?cursor=>; rel=\"first\"");
        if (offset > 0) {
            links.add("<" + base + "?cursor=p" + Math.max(0, offset - pageSize) + ">; rel=\"prev\"");
        }
        if (end < all.size()) {
            links.add("<" + base + "?cursor=o" + end + ">; rel=\"next\"");
        }
        return responseDefinition().withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("Link", String.join(", ", links))
                .withBody(array(all.subList(offset, end)).toString()).build();
    }

    private ResponseDefinition bulkPatch(Request req) {
        writes.incrementAndGet();
        JsonNode items;
        try {
            items = JSON.readTree(req.getBodyAsString());
        } catch (Exception e) {
            return json(400, "{\"detail\":\"JSON parse error\"}");
        }
        if (!items.isArray()) {
            return json(400, "{\"non_field_errors\":[\"Expected a list of items but got dict.\"]}");
        }
        ArrayNode errors = JSON.createArrayNode();
        boolean failed = false;
        for (JsonNode item : items) {
            ObjectNode e = errors.addObject();
            if (!item.path("subname").asText().matches("([a-z0-9_*-]+(\\.[a-z0-9_-]+)*)?")) {
                e.putArray("subname").add("Subname can only use (lowercase) a-z, 0-9, ., -, and _, may start with a '*.', or just be '*'.");
            }
            if (item.has("ttl") && item.get("ttl").asInt() < minimumTtl) {
                e.putArray("ttl").add("Ensure this value is greater than or equal to " + minimumTtl + ".");
            }
            for (JsonNode r : item.path("records")) {
                String type = item.path("type").asText();
                if (type.equals("TXT") && !r.asText().startsWith("\"")) {
                    e.putArray("records").add("Data for TXT records must be given using quotation marks.");
                } else if ((type.equals("MX") || type.equals("CNAME")) && !r.asText().endsWith(".")) {
                    e.putArray("records").add("Hostname must be fully qualified (i.e., end in a dot: \"example.com.\")");
                } else if (type.equals("A") && r.asText().startsWith("10.")) {
                    e.putArray("records").add("IP address " + r.asText() + " not allowed.");
                }
            }
            failed |= e.size() > 0;
        }
        if (failed) {
            return json(400, errors.toString());
        }
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode item : items) {
            String sub = item.get("subname").asText();
            String type = item.get("type").asText();
            List<String> records = new ArrayList<>();
            item.path("records").forEach(r -> records.add(type.equals("TXT") ? splitLong(r.asText()) : r.asText()));
            if (records.isEmpty()) {
                rrsets.remove(key(sub, type));
                continue;
            }
            ObjectNode existing = rrsets.get(key(sub, type));
            int ttl = item.has("ttl") ? item.get("ttl").asInt() : existing.get("ttl").asInt();
            ObjectNode n = rrset(sub, type, ttl, records);
            rrsets.put(key(sub, type), n);
            out.add(n);
        }
        return json(200, out.toString());
    }

    /** deSEC's DynDNS protocol: a missing family is deleted, {@code preserve} keeps it. */
    private ResponseDefinition dynDnsUpdate(Request req) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((domain + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
        if (!basic.equals(req.getHeader("Authorization"))) {
            return text(401, "badauth");
        }
        ResponseDefinition refused = throttle(dynDnsThrottle, true);
        if (refused != null) {
            return refused;
        }
        String host = req.queryParameter("hostname").isPresent() ? req.queryParameter("hostname").firstValue() : domain;
        if (!host.equals(domain) && !host.endsWith("." + domain)) {
            return text(404, "nohost");
        }
        String sub = host.equals(domain) ? "" : host.substring(0, host.length() - domain.length() - 1);
        for (String[] family : new String[][] {{"myipv4", "A"}, {"myipv6", "AAAA"}}) {
            QueryParameter p = req.queryParameter(family[0]);
            if (!p.isPresent() || p.firstValue().isEmpty()) {
                rrsets.remove(key(sub, family[1])); // deSEC deletes the family that is not sent
            } else if (!p.firstValue().equals("preserve")) {
                rrsets.put(key(sub, family[1]), rrset(sub, family[1], 60, List.of(p.firstValue())));
            }
        }
        dynDnsUpdates.incrementAndGet();
        return text(200, "good");
    }

    /** A sliding-window limit; a refused request is not counted, as in deSEC's throttles. */
    private static final class Throttle {
        private final Deque<Long> accepted = new ArrayDeque<>();
        private int permits;
        private long windowNanos;
        private int refuseNext;
        private long refuseNextNanos;

        void refuseNext(int n, long waitNanos) {
            refuseNext = n;
            refuseNextNanos = waitNanos;
        }

        void set(int permits, Duration window) {
            if (permits < 0 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("permits must be >= 0 and the window positive");
            }
            this.permits = permits;
            this.windowNanos = window.toNanos();
            accepted.clear();
        }

        /** @return 0 when the request is accepted (and counted), else the nanoseconds until a slot frees */
        long admit() {
            if (refuseNext > 0) {
                refuseNext--;
                return Math.max(1, refuseNextNanos);
            }
            if (permits == 0) {
                return 0;
            }
            long now = System.nanoTime();
            while (!accepted.isEmpty() && now - accepted.peekFirst() >= windowNanos) {
                accepted.pollFirst();
            }
            if (accepted.size() >= permits) {
                return Math.max(1, accepted.peekFirst() + windowNanos - now);
            }
            accepted.addLast(now);
            return 0;
        }
    }

    /** deSEC's (Django REST framework's) answer to a throttled request, or null when the request may go on. */
    private @Nullable ResponseDefinition throttle(Throttle t, boolean plainText) {
        long waitNanos = t.admit();
        if (waitNanos == 0) {
            return null;
        }
        throttled++;
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        String detail = "Request was throttled. Expected available in " + seconds + (seconds == 1 ? " second." : " seconds.");
        return responseDefinition().withStatus(429).withHeader("Retry-After", Long.toString(seconds))
                .withHeader("Content-Type", plainText ? "text/plain" : "application/json")
                .withBody(plainText ? detail : "{\"detail\":\"" + detail + "\"}").build();
    }

    private static ResponseDefinition text(int status, String body) {
        return responseDefinition().withStatus(status).withHeader("Content-Type", "text/plain").withBody(body).build();
    }

    /** deSEC stores quoted strings longer than 255 bytes split into 255-byte strings. */
    private static String splitLong(String txt) {
        List<String> parts = new ArrayList<>();
        Matcher m = QUOTED.matcher(txt);
        while (m.find()) {
            String s = m.group(1);
            if (s.length() > 255 && !s.contains("\\")) {
                for (int i = 0; i < s.length(); i += 255) {
                    parts.add("\"" + s.substring(i, Math.min(s.length(), i + 255)) + "\"");
                }
            } else {
                parts.add(m.group());
            }
        }
        return String.join(" ", parts);
    }

    private ObjectNode rrset(String subname, String type, int ttl, List<String> records) {
        ObjectNode n = JSON.createObjectNode();
        n.put("created", "2026-01-01T00:00:00Z").put("domain", domain).put("subname", subname)
                .put("name", (subname.isEmpty() ? "" : subname + ".") + domain + ".").put("type", type).put("ttl", ttl);
        ArrayNode r = n.putArray("records");
        records.forEach(r::add);
        n.put("touched", "2026-01-01T00:00:00Z");
        return n;
    }

    private static ArrayNode array(List<ObjectNode> nodes) {
        ArrayNode a = JSON.createArrayNode();
        nodes.forEach(a::add);
        return a;
    }

    private static String key(String subname, String type) {
        return subname + "|" + type;
    }

    private static ResponseDefinition json(int status, String body) {
        return responseDefinition().withStatus(status).withHeader("Content-Type", "application/json").withBody(body).build();
    }
}
