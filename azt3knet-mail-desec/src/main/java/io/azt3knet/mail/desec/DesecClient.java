package io.azt3knet.mail.desec;

import io.azt3knet.mail.http.HttpSender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.ProviderServiceException;
import io.azt3knet.mail.dns.DnsRecordSet;
import io.azt3knet.mail.internal.http.HttpRequestSpec;
import io.azt3knet.mail.internal.http.HttpResponseData;
import io.azt3knet.mail.internal.http.JsonHttpClient;
import io.azt3knet.mail.internal.http.RateLimitPacer;
import io.azt3knet.mail.internal.http.RetrySettings;
import io.azt3knet.mail.internal.util.Sleeper;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deSEC REST API ({@code DESEC_API_URL}): domains and record sets.
 *
 * <ul>
 *   <li>{@code Authorization: Token ...}; every path ends in a slash; the apex is {@code @} in URLs and
 *       {@code ""} in bodies.</li>
 *   <li>Record sets are returned and taken in logical form (see {@link io.azt3knet.mail.dns.DnsRecordSet});
 *       TXT quoting, escaping and 255-byte splitting happen here.</li>
 *   <li>Lists follow cursor pagination through the {@code Link} header, including the 400 "Pagination
 *       required" answer deSEC gives for more than 500 items.</li>
 *   <li>Rate limits: record-set writes are paced per domain at deSEC's 2/s, 15/min, 100/h and 300/day, reads at
 *       10/s and 50/min; a 429's {@code Retry-After} is honoured, an HTML 429 without one is backed off with
 *       jitter; a wait beyond {@code DESEC_MAX_QUOTA_WAIT} fails at once with
 *       {@link io.azt3knet.mail.QuotaExhaustedException} ("quota exhausted until ...").</li>
 *   <li>Errors: {@link ProviderServiceException} with deSEC's {@code detail} or field errors;
 *       {@link DesecValidationException} naming each record set a bulk write was refused for.</li>
 * </ul>
 * Not paced: deSEC's account-wide 2000 requests/day. Thread-safe; close it to release its HTTP threads.
 */
public final class DesecClient implements AutoCloseable {

    static final String PROVIDER = "desec";
    /** Bounds every pagination loop: 10,000 pages of 500 record sets. */
    private static final int MAX_PAGES = 10_000;
    private static final Pattern SUBNAME = Pattern.compile("((\\*\\.)?[a-z0-9_-]+(\\.[a-z0-9_-]+)*)?");
    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?([^\",;]+)\"?");

    private final JsonHttpClient http;
    private final URI apiUrl;
    /** Zone, name and type -> logical record -> the presentation deSEC returned for it, when not canonical. */
    private final Map<String, Map<String, String>> presentations = new ConcurrentHashMap<>();

    private DesecClient(Builder b) {
        this.apiUrl = b.settings.apiUrl();
        RateLimitPacer pacer = RateLimitPacer.builder(PROVIDER)
                .limit("write", 2, Duration.ofSeconds(1))
                .limit("write", 15, Duration.ofMinutes(1))
                .limit("write", 100, Duration.ofHours(1))
                .limit("write", 300, Duration.ofDays(1))
                .limit("read", 10, Duration.ofSeconds(1))
                .limit("read", 50, Duration.ofMinutes(1))
                .maxWait(b.settings.maxQuotaWait())
                .clock(b.clock)
                .ticker(System::nanoTime, b.sleeper)
                .build();
        String authorization = "Token " + b.settings.token().reveal();
        JsonHttpClient.Builder http = JsonHttpClient.builder(PROVIDER, apiUrl)
                .authorization(() -> authorization)
                .redact(b.settings.token())
                .retry(b.retry.orElseGet(() -> RetrySettings.defaults().withMaxRetryAfter(b.settings.maxQuotaWait())
                        .withMaxThrottleWait(b.settings.maxQuotaWait())))
                .pacer(pacer)
                .errorDecoder(new DesecErrorDecoder())
                .clock(b.clock)
                .sleeper(b.sleeper)
                .requestTimeout(b.settings.requestTimeout())
                .connectTimeout(Duration.ofSeconds(10)); // the JDK client is built on the first request
        b.sender.ifPresent(http::sender);
        this.http = http.build();
    }

    /**
     * @param settings the deSEC settings (API URL, token, longest quota wait)
     * @return a builder
     */
    public static Builder builder(DesecSettings settings) {
        return new Builder(settings);
    }

    /**
     * @param name a domain of the account
     * @return the domain with its minimum TTL
     * @throws ProviderServiceException 404 if the account does not own it
     */
    public DesecDomain domain(String name) {
        HttpRequestSpec spec = HttpRequestSpec.get("/domains/" + MailboxAddress.requireDomain(name) + "/");
        return toDomain(json(http.send(spec), spec));
    }

    /** @return every domain of the account */
    public List<DesecDomain> domains() {
        return list(HttpRequestSpec.get("/domains/")).stream().map(DesecClient::toDomain).toList();
    }

    /**
     * @param qname a fully qualified name, e.g. {@code mail.agents.example.org}
     * @return the account's domain that is authoritative for it (longest matching suffix), if any
     */
    public Optional<DesecDomain> domainOwning(String qname) {
        HttpRequestSpec spec = HttpRequestSpec.get("/domains/").query("owns_qname", qname);
        JsonNode arr = json(http.send(spec), spec);
        return arr.isArray() && arr.size() > 0 ? Optional.of(toDomain(arr.get(0))) : Optional.empty();
    }

    /**
     * @param domain a domain of the account
     * @return every record set of its zone (including deSEC's own, such as the apex NS), in logical form
     */
    public List<DnsRecordSet> recordSets(String domain) {
        return recordSets(domain, Optional.empty(), Optional.empty());
    }

    /**
     * @param domain a domain of the account
     * @param subname only record sets at this name ({@code ""} for the apex), if given
     * @param type only record sets of this type, if given
     * @return the matching record sets, in logical form
     */
    public List<DnsRecordSet> recordSets(String domain, Optional<String> subname, Optional<String> type) {
        HttpRequestSpec spec = HttpRequestSpec.get(rrsetsPath(domain));
        if (subname.isPresent()) {
            spec = spec.query("subname", subname.get());
        }
        if (type.isPresent()) {
            spec = spec.query("type", type.get());
        }
        return list(spec).stream().map(n -> toRecordSet(domain, n)).flatMap(Optional::stream).toList();
    }

    /**
     * @param domain a domain of the account
     * @param subname the name ({@code ""} for the apex)
     * @param type the record type
     * @return the record set, or empty when deSEC answers 404 (no such record set, or, UNCONFIRMED, no such domain)
     */
    public Optional<DnsRecordSet> recordSet(String domain, String subname, String type) {
        DnsRecordSet.Key key = new DnsRecordSet.Key(subname, type);
        if (!SUBNAME.matcher(key.subname()).matches() || !key.type().matches("[A-Z][A-Z0-9]*")) {
            throw new IllegalArgumentException("invalid record set name or type: " + key);
        }
        String path = rrsetsPath(domain) + (key.subname().isEmpty() ? "@" : key.subname()) + "/" + key.type() + "/";
        try {
            HttpRequestSpec spec = HttpRequestSpec.get(path);
            return toRecordSet(domain, json(http.send(spec), spec));
        } catch (ProviderServiceException e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Creates or replaces the given record sets in one atomic bulk {@code PATCH}; record sets not named stay
     * as they are. An empty list makes no request.
     *
     * @param domain a domain of the account
     * @param sets the record sets as they must be (TTL at least the domain's minimum)
     * @return the record sets deSEC holds afterwards for those names
     * @throws DesecValidationException naming each record set deSEC refused; nothing was written
     */
    public List<DnsRecordSet> patchRecordSets(String domain, List<DnsRecordSet> sets) {
        return bulkWrite("PATCH", domain, sets);
    }

    /**
     * Like {@link #patchRecordSets} but with {@code PUT}, which requires every field of every item.
     *
     * @param domain a domain of the account
     * @param sets the record sets as they must be
     * @return the record sets deSEC holds afterwards for those names
     * @throws DesecValidationException naming each record set deSEC refused; nothing was written
     */
    public List<DnsRecordSet> putRecordSets(String domain, List<DnsRecordSet> sets) {
        return bulkWrite("PUT", domain, sets);
    }

    private List<DnsRecordSet> bulkWrite(String method, String domain, List<DnsRecordSet> sets) {
        if (sets.isEmpty()) {
            return List.of();
        }
        ArrayNode body = http.mapper().createArrayNode();
        for (DnsRecordSet s : sets) {
            ObjectNode item = body.addObject();
            item.put("subname", s.subname()).put("type", s.type()).put("ttl", s.ttl());
            ArrayNode records = item.putArray("records");
            Map<String, String> kept = presentations.getOrDefault(presentationKey(domain, s.subname(), s.type()), Map.of());
            s.records().forEach(r -> records.add(kept.getOrDefault(r, RecordCodec.encode(s.type(), r))));
        }
        String path = rrsetsPath(domain);
        // Safe to repeat after an ambiguous failure: the request sets exact values and is atomic.
        HttpRequestSpec spec = (method.equals("PUT") ? HttpRequestSpec.put(path, body) : HttpRequestSpec.patch(path, body))
                .retrySafe(true)
                .pacingKey("write:" + domain);
        HttpResponseData response;
        try {
            response = http.send(spec);
        } catch (ProviderServiceException e) {
            throw perRecordSet(e, spec, sets);
        }
        List<DnsRecordSet> out = new ArrayList<>();
        // a 2xx that cannot be read: the write took effect (it is atomic), only its echo is lost
        json(response, spec).forEach(n -> toRecordSet(domain, n).ifPresent(out::add));
        return out;
    }

    /** Maps a bulk request's per-item error array to the record sets that caused each error. */
    private ProviderServiceException perRecordSet(ProviderServiceException e, HttpRequestSpec spec, List<DnsRecordSet> sets) {
        if (e.statusCode() != 400 || !e.providerMessage().startsWith("[")) {
            return e;
        }
        JsonNode items;
        try {
            items = http.mapper().readTree(e.providerMessage());
        } catch (java.io.IOException notJson) {
            return e;
        }
        List<DesecValidationException.RRsetError> errors = new ArrayList<>();
        for (int i = 0; i < items.size() && i < sets.size(); i++) {
            JsonNode item = items.get(i);
            if (item.isObject() && item.size() > 0) {
                errors.add(new DesecValidationException.RRsetError(sets.get(i).key(), DesecErrorDecoder.fieldErrors(item)));
            }
        }
        return errors.isEmpty() ? e : new DesecValidationException(spec.describe() + " (" + sets.size() + " record sets)", errors);
    }

    private List<JsonNode> list(HttpRequestSpec first) {
        HttpResponseData page;
        try {
            page = http.send(first);
        } catch (ProviderServiceException e) {
            if (e.statusCode() != 400 || !e.providerMessage().startsWith("Pagination required")) {
                throw e;
            }
            // The 400 carries Link: <...?cursor=>; rel="first". The client's errors do not expose headers, so
            // the same target is requested directly: the documented first page is the list URL with cursor=.
            page = http.send(first.query("cursor", ""));
        }
        List<JsonNode> items = new ArrayList<>();
        for (int pages = 1; ; pages++) {
            JsonNode array = json(page, first);
            if (!array.isArray()) {
                throw ProviderServiceException.builder(PROVIDER, first.describe(), page.status()).message("expected a JSON array, got " + array.getNodeType()).build();
            }
            array.forEach(items::add);
            Optional<URI> next = link(page, "next");
            if (next.isEmpty()) {
                return items;
            }
            if (pages >= MAX_PAGES) {
                throw new IllegalStateException("deSEC pagination did not end after " + MAX_PAGES + " pages of " + first.describe());
            }
            page = http.send(HttpRequestSpec.absolute(next.get()));
        }
    }

    /** The body as JSON; a body that is not JSON is the typed "unexpected answer", never an unchecked I/O error. */
    private static JsonNode json(HttpResponseData response, HttpRequestSpec spec) {
        try {
            return response.json();
        } catch (java.io.UncheckedIOException e) {
            throw ProviderServiceException.builder(PROVIDER, spec.describe(), response.status())
                    .message("unexpected answer: the body is not JSON").build();
        }
    }

    /** Finds a {@code Link} target; refuses one on another origin, where the token would be sent along. */
    private Optional<URI> link(HttpResponseData response, String rel) {
        for (String header : response.headers().allValues("Link")) {
            Matcher m = LINK.matcher(header);
            while (m.find()) {
                if (m.group(2).strip().equals(rel)) {
                    URI target = apiUrl.resolve(m.group(1).strip());
                    if (!Objects.equals(target.getScheme(), apiUrl.getScheme())
                            || !Objects.equals(target.getHost(), apiUrl.getHost()) || target.getPort() != apiUrl.getPort()) {
                        throw ProviderServiceException.builder(PROVIDER, "pagination", response.status()).message("Link rel=" + rel + " points to another origin (" + target.getHost() + "); not followed").build();
                    }
                    return Optional.of(target);
                }
            }
        }
        return Optional.empty();
    }

    private static String presentationKey(String domain, String subname, String type) {
        return domain.toLowerCase(java.util.Locale.ROOT) + "|" + subname.toLowerCase(java.util.Locale.ROOT) + "|"
                + type.toUpperCase(java.util.Locale.ROOT);
    }

    private static String rrsetsPath(String domain) {
        return "/domains/" + MailboxAddress.requireDomain(domain) + "/rrsets/";
    }

    private static DesecDomain toDomain(JsonNode n) {
        return new DesecDomain(n.path("name").asText(), n.path("minimum_ttl").asInt());
    }

    /**
     * Decodes a record set, and remembers the presentation of every record the codec would not write back
     * byte for byte (character-strings split elsewhere than every 255 bytes, bytes that are not UTF-8, other
     * escapes): a later write of the same logical record sends that presentation, so that records this library
     * does not manage (the apex TXT records beside SPF) keep their exact form.
     */
    private Optional<DnsRecordSet> toRecordSet(String domain, JsonNode n) {
        String type = n.path("type").asText();
        List<String> records = new ArrayList<>();
        Map<String, String> kept = new HashMap<>();
        n.path("records").forEach(r -> {
            String logical = RecordCodec.decode(type, r.asText());
            records.add(logical);
            if (!RecordCodec.encode(type, logical).equals(r.asText())) {
                kept.putIfAbsent(logical, r.asText());
            }
        });
        String key = presentationKey(domain, n.path("subname").asText(), type);
        if (kept.isEmpty()) {
            presentations.remove(key);
        } else {
            presentations.put(key, Map.copyOf(kept));
        }
        if (records.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DnsRecordSet(n.path("subname").asText(), type, n.path("ttl").asInt(), records));
    }

    @Override
    public void close() {
        http.close();
    }

    /** Builds a {@link DesecClient}. */
    public static final class Builder {
        private final DesecSettings settings;
        private Clock clock = Clock.systemUTC();
        private Optional<RetrySettings> retry = Optional.empty();
        private Optional<HttpSender> sender = Optional.empty();
        private Sleeper sleeper = Sleeper.SYSTEM;

        private Builder(DesecSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /**
         * @param c the clock quota times are computed with
         * @return this builder
         */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /**
         * @param s sends every exchange (a proxy, metrics, a test double); default: a JDK client
         * @return this builder
         */
        public Builder httpSender(HttpSender s) {
            this.sender = Optional.of(Objects.requireNonNull(s, "sender"));
            return this;
        }

        /** For tests: fast backoff. */
        Builder retry(RetrySettings r) {
            this.retry = Optional.of(r);
            return this;
        }

        /** For tests: record backoff, Retry-After and rate-limit waits instead of sleeping. */
        Builder sleeper(Sleeper s) {
            this.sleeper = Objects.requireNonNull(s, "sleeper");
            return this;
        }

        /** @return the client */
        public DesecClient build() {
            return new DesecClient(this);
        }
    }
}
