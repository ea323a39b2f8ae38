package io.azt3knet.mail.desec;

import io.azt3knet.mail.dns.DynDnsScheduler;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.config.SettingsReader;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the deSEC module. Read them with {@link #from(ConfigSource)} (one error naming every missing
 * or malformed variable) or wire them explicitly with {@link #builder(String, Secret)}.
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>variable</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code DESEC_DOMAIN}</td><td>the managed domain, e.g. {@code agents.dedyn.io}</td><td>required</td></tr>
 *   <tr><td>{@code DESEC_TOKEN}</td><td>deSEC API token (also the DynDNS password)</td><td>required</td></tr>
 *   <tr><td>{@code DESEC_API_URL}</td><td>REST API base URL</td><td>{@code https://desec.io/api/v1}</td></tr>
 *   <tr><td>{@code DESEC_DYNDNS_UPDATE_URL}</td><td>DynDNS update endpoint</td><td>{@code https://update.dedyn.io/}</td></tr>
 *   <tr><td>{@code DESEC_CHECKIP_URL}</td><td>public IPv4 discovery</td><td>{@code https://checkipv4.dedyn.io/}</td></tr>
 *   <tr><td>{@code DESEC_MAX_QUOTA_WAIT}</td><td>longest wait for a rate-limit slot or a {@code Retry-After};
 *       beyond it calls fail with {@link io.azt3knet.mail.QuotaExhaustedException}</td><td>{@code 2m}</td></tr>
 *   <tr><td>{@code DESEC_DYNDNS_INTERVAL}</td><td>how often the DynDNS scheduler refreshes (at least 1 minute)</td>
 *       <td>{@code 24h}</td></tr>
 *   <tr><td>{@code DESEC_REQUEST_TIMEOUT}</td><td>longest wait for one answer of deSEC (API, DynDNS, check-IP), per
 *       attempt (1 second to 10 minutes)</td><td>{@code 30s}</td></tr>
 * </table>
 * Durations are written {@code 90s}, {@code 15m}, {@code 24h} or ISO-8601 ({@code PT24H}). Endpoints must be
 * {@code https://}, except on a loopback host. {@link #toString()} never shows the token.
 *
 * @param domain the managed domain
 * @param token the API token
 * @param apiUrl the REST API base URL
 * @param dynDnsUpdateUrl the DynDNS update endpoint
 * @param checkIpUrl the public IPv4 discovery endpoint
 * @param maxQuotaWait the longest wait for a rate-limit slot
 * @param dynDnsInterval the DynDNS refresh interval
 * @param requestTimeout the longest wait for one answer, per attempt (an API call is tried at most 5 times, DynDNS and
 *     check-IP once), so that a deSEC that never answers ends a run in bounded time
 */
public record DesecSettings(String domain, Secret token, URI apiUrl, URI dynDnsUpdateUrl, URI checkIpUrl,
        Duration maxQuotaWait, Duration dynDnsInterval, Duration requestTimeout) {

    /** Variable: the managed domain. */
    public static final String DOMAIN = "DESEC_DOMAIN";
    /** Variable: the API token. */
    public static final String TOKEN = "DESEC_TOKEN";
    /** Variable: the REST API base URL. */
    public static final String API_URL = "DESEC_API_URL";
    /** Variable: the DynDNS update endpoint. */
    public static final String DYNDNS_UPDATE_URL = "DESEC_DYNDNS_UPDATE_URL";
    /** Variable: the public IPv4 discovery endpoint. */
    public static final String CHECKIP_URL = "DESEC_CHECKIP_URL";
    /** Variable: the longest wait for a rate-limit slot. */
    public static final String MAX_QUOTA_WAIT = "DESEC_MAX_QUOTA_WAIT";
    /** Variable: the DynDNS refresh interval. */
    public static final String DYNDNS_INTERVAL = "DESEC_DYNDNS_INTERVAL";
    /** Variable: the longest wait for one answer, per attempt. */
    public static final String REQUEST_TIMEOUT = "DESEC_REQUEST_TIMEOUT";

    /** Default of {@code DESEC_API_URL}. */
    public static final String DEFAULT_API_URL = "https://desec.io/api/v1";
    /** Default of {@code DESEC_DYNDNS_UPDATE_URL}. */
    public static final String DEFAULT_DYNDNS_UPDATE_URL = "https://update.dedyn.io/";
    /** Default of {@code DESEC_CHECKIP_URL}. */
    public static final String DEFAULT_CHECKIP_URL = "https://checkipv4.dedyn.io/";
    /** Default of {@code DESEC_MAX_QUOTA_WAIT}. */
    public static final Duration DEFAULT_MAX_QUOTA_WAIT = Duration.ofMinutes(2);
    /** Default of {@code DESEC_DYNDNS_INTERVAL}. */
    public static final Duration DEFAULT_DYNDNS_INTERVAL = DynDnsScheduler.DEFAULT_INTERVAL;
    /** Default of {@code DESEC_REQUEST_TIMEOUT}. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MIN_REQUEST_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MAX_REQUEST_TIMEOUT = Duration.ofMinutes(10);
    /** deSEC counts a DynDNS client that updates more than about once a minute as misconfigured. */
    public static final Duration MIN_DYNDNS_INTERVAL = DynDnsScheduler.MIN_INTERVAL;

    /** Validates the settings. */
    public DesecSettings {
        MailboxAddress.requireDomain(domain);
        Objects.requireNonNull(token, "token");
        checkEndpoint(API_URL, apiUrl);
        checkEndpoint(DYNDNS_UPDATE_URL, dynDnsUpdateUrl);
        checkEndpoint(CHECKIP_URL, checkIpUrl);
        Objects.requireNonNull(maxQuotaWait, "maxQuotaWait");
        Objects.requireNonNull(dynDnsInterval, "dynDnsInterval");
        if (maxQuotaWait.isNegative()) {
            throw new IllegalArgumentException(MAX_QUOTA_WAIT + " must not be negative");
        }
        if (dynDnsInterval.compareTo(MIN_DYNDNS_INTERVAL) < 0) {
            throw new IllegalArgumentException(DYNDNS_INTERVAL + " must be at least 1 minute, got " + dynDnsInterval);
        }
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (!validRequestTimeout(requestTimeout)) {
            throw new IllegalArgumentException(REQUEST_TIMEOUT_RANGE + ", got " + requestTimeout.toMillis() + " ms");
        }
    }

    private static final String REQUEST_TIMEOUT_RANGE = REQUEST_TIMEOUT + " must be between 1s and 10m";

    private static boolean validRequestTimeout(Duration timeout) {
        return timeout.compareTo(MIN_REQUEST_TIMEOUT) >= 0 && timeout.compareTo(MAX_REQUEST_TIMEOUT) <= 0;
    }

    private static void checkEndpoint(String name, URI uri) {
        Objects.requireNonNull(uri, name);
        SettingsReader.endpointProblem(uri.toString()).ifPresent(p -> {
            throw new IllegalArgumentException(name + " " + p);
        });
    }

    /**
     * Reads the settings.
     *
     * @param source the configuration
     * @return the settings
     * @throws io.azt3knet.mail.ConfigurationException naming every missing or malformed variable
     */
    public static DesecSettings from(ConfigSource source) {
        SettingsReader r = new SettingsReader(source);
        String domain = r.domain(DOMAIN);
        Secret token = r.secret(TOKEN);
        URI api = r.endpoint(API_URL, DEFAULT_API_URL);
        URI update = r.endpoint(DYNDNS_UPDATE_URL, DEFAULT_DYNDNS_UPDATE_URL);
        URI checkIp = r.endpoint(CHECKIP_URL, DEFAULT_CHECKIP_URL);
        Duration maxWait = r.duration(MAX_QUOTA_WAIT, DEFAULT_MAX_QUOTA_WAIT);
        Duration interval = r.duration(DYNDNS_INTERVAL, DEFAULT_DYNDNS_INTERVAL);
        if (interval.compareTo(MIN_DYNDNS_INTERVAL) < 0) {
            r.problem(DYNDNS_INTERVAL + " must be at least 1m (deSEC treats more frequent updates as a misconfigured client)");
            interval = DEFAULT_DYNDNS_INTERVAL;
        }
        Duration timeout = r.duration(REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
        if (!validRequestTimeout(timeout)) {
            r.problem(REQUEST_TIMEOUT_RANGE + ", got " + timeout.toMillis() + " ms");
            timeout = DEFAULT_REQUEST_TIMEOUT;
        }
        r.validate();
        return new DesecSettings(domain, token, api, update, checkIp, maxWait, interval, timeout);
    }

    /**
     * @param domain the managed domain
     * @param token the API token
     * @return a builder with every other setting at its default
     */
    public static Builder builder(String domain, Secret token) {
        return new Builder(domain, token);
    }

    /** Builds {@link DesecSettings} explicitly, e.g. to point every endpoint at a local test server. */
    public static final class Builder {
        private final String domain;
        private final Secret token;
        private URI apiUrl = URI.create(DEFAULT_API_URL);
        private URI dynDnsUpdateUrl = URI.create(DEFAULT_DYNDNS_UPDATE_URL);
        private URI checkIpUrl = URI.create(DEFAULT_CHECKIP_URL);
        private Duration maxQuotaWait = DEFAULT_MAX_QUOTA_WAIT;
        private Duration dynDnsInterval = DEFAULT_DYNDNS_INTERVAL;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

        private Builder(String domain, Secret token) {
            this.domain = Objects.requireNonNull(domain, "domain");
            this.token = Objects.requireNonNull(token, "token");
        }

        /**
         * @param url REST API base URL
         * @return this builder
         */
        public Builder apiUrl(URI url) {
            this.apiUrl = url;
            return this;
        }

        /**
         * @param url DynDNS update endpoint
         * @return this builder
         */
        public Builder dynDnsUpdateUrl(URI url) {
            this.dynDnsUpdateUrl = url;
            return this;
        }

        /**
         * @param url public IPv4 discovery endpoint
         * @return this builder
         */
        public Builder checkIpUrl(URI url) {
            this.checkIpUrl = url;
            return this;
        }

        /**
         * @param wait longest wait for a rate-limit slot
         * @return this builder
         */
        public Builder maxQuotaWait(Duration wait) {
            this.maxQuotaWait = wait;
            return this;
        }

        /**
         * @param interval DynDNS refresh interval, at least 1 minute
         * @return this builder
         */
        public Builder dynDnsInterval(Duration interval) {
            this.dynDnsInterval = interval;
            return this;
        }

        /**
         * @param timeout the longest wait for one answer, per attempt (1 second to 10 minutes; default 30 s)
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** @return the validated settings */
        public DesecSettings build() {
            return new DesecSettings(domain, token, apiUrl, dynDnsUpdateUrl, checkIpUrl, maxQuotaWait, dynDnsInterval,
                    requestTimeout);
        }
    }
}
