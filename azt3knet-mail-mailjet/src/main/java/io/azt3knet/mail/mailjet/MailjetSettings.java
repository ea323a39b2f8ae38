package io.azt3knet.mail.mailjet;

import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.dns.SpfMechanism;
import io.azt3knet.mail.inbound.webhook.InboundSecretRule;
import io.azt3knet.mail.internal.util.LogText;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.config.SettingsReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Everything the Mailjet module needs to know: the API key pair, the endpoints, the DNS facts it reports and
 * where inbound mail goes. Read with {@link #from(ConfigSource)} or wired with {@link #builder(String, Secret)}; either
 * way every value is checked and every problem reported at once. {@link #toString()} shows no secret.
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>variable</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code MAILJET_API_KEY}</td><td>API key (also the SMTP username)</td><td>required</td></tr>
 *   <tr><td>{@code MAILJET_API_SECRET}</td><td>API secret key (also the SMTP password)</td><td>required</td></tr>
 *   <tr><td>{@code MAILJET_API_URL}</td><td>REST base URL ({@code https://api.us.mailjet.com} for US accounts)</td>
 *       <td>{@code https://api.mailjet.com}</td></tr>
 *   <tr><td>{@code MAILJET_MX_HOSTS}</td><td>comma-separated inbound MX hosts</td><td>{@code parse.mailjet.com}</td></tr>
 *   <tr><td>{@code MAILJET_SPF_INCLUDE}</td><td>SPF mechanism to merge</td><td>{@code include:spf.mailjet.com}</td></tr>
 *   <tr><td>{@code MAILJET_INBOUND_URL}</td><td>HTTPS URL Mailjet posts inbound mail to</td><td>required for mailboxes</td></tr>
 *   <tr><td>{@code MAILJET_INBOUND_SECRET}</td><td>secret Mailjet presents as Basic password (user {@code mailjet})</td>
 *       <td>none</td></tr>
 *   <tr><td>{@code MAILJET_SMTP_HOST}</td><td>SMTP relay host</td><td>{@code in-v3.mailjet.com}</td></tr>
 *   <tr><td>{@code MAILJET_SMTP_PORT}</td><td>SMTP relay port (STARTTLS)</td><td>{@code 587}</td></tr>
 *   <tr><td>{@code MAILJET_REQUEST_TIMEOUT}</td><td>longest wait for one API answer (per attempt)</td>
 *       <td>{@code 30s}</td></tr>
 * </table>
 *
 * @param apiKey the API key
 * @param apiSecret the API secret key
 * @param apiUrl the REST base URL, without {@code /v3}
 * @param mxHosts the inbound MX hosts, most preferred first (lower-cased, a trailing dot dropped)
 * @param spfInclude the SPF mechanism to merge into the domain's SPF record
 * @param inboundUrl where Mailjet posts inbound mail, without credentials; needed to create mailboxes
 * @param inboundSecret the password Mailjet presents on inbound calls, if any
 * @param smtpHost the SMTP relay host
 * @param smtpPort the SMTP relay port
 * @param requestsPerSecond a ceiling on the API call rate; empty (the default) when the pace is only discovered from
 *     Mailjet's 429s (Mailjet publishes no numbers). Either way the client starts slowly and finds the limit.
 * @param requestTimeout the longest wait for one answer of the API, per attempt (a call is tried at most 5 times, a
 *     create at most 4 times), so that an API that never answers ends a run in bounded time; 1 second to 10 minutes
 */
public record MailjetSettings(String apiKey, Secret apiSecret, URI apiUrl, List<String> mxHosts, String spfInclude,
        Optional<URI> inboundUrl, Optional<Secret> inboundSecret, String smtpHost, int smtpPort, OptionalInt requestsPerSecond,
        Duration requestTimeout) {

    /** Variable: API key. */
    public static final String API_KEY = "MAILJET_API_KEY";
    /** Variable: API secret key. */
    public static final String API_SECRET = "MAILJET_API_SECRET";
    /** Variable: REST base URL. */
    public static final String API_URL = "MAILJET_API_URL";
    /** Variable: inbound MX hosts. */
    public static final String MX_HOSTS = "MAILJET_MX_HOSTS";
    /** Variable: SPF mechanism. */
    public static final String SPF_INCLUDE = "MAILJET_SPF_INCLUDE";
    /** Variable: inbound webhook URL. */
    public static final String INBOUND_URL = "MAILJET_INBOUND_URL";
    /** Variable: inbound webhook secret. */
    public static final String INBOUND_SECRET = "MAILJET_INBOUND_SECRET";
    /** Variable: SMTP relay host. */
    public static final String SMTP_HOST = "MAILJET_SMTP_HOST";
    /** Variable: SMTP relay port. */
    public static final String SMTP_PORT = "MAILJET_SMTP_PORT";

    /** The problem reported when creating mailboxes is asked for without {@code MAILJET_INBOUND_URL}. */
    static final String INBOUND_URL_REQUIRED = INBOUND_URL
            + " is required to create mailboxes: the HTTPS URL Mailjet posts inbound mail to";
    /** The Basic-auth user Mailjet presents on inbound calls when {@code MAILJET_INBOUND_SECRET} is set. */
    public static final String INBOUND_USER = "mailjet";
    /** Default REST base URL. */
    public static final String DEFAULT_API_URL = "https://api.mailjet.com";
    /** Default inbound MX host (Mailjet's Parse API; {@code in-v3.mailjet.com} is the outbound relay). */
    public static final String DEFAULT_MX_HOST = "parse.mailjet.com";
    /** Default SPF mechanism. */
    public static final String DEFAULT_SPF_INCLUDE = "include:spf.mailjet.com";
    /** Default SMTP relay host. */
    public static final String DEFAULT_SMTP_HOST = "in-v3.mailjet.com";
    /** Default SMTP relay port (STARTTLS). */
    public static final int DEFAULT_SMTP_PORT = 587;
    /**
     * Variable: a ceiling on the API call rate, per second. Unset (the default) the client discovers Mailjet's
     * limit by itself, since Mailjet publishes none.
     */
    public static final String REQUESTS_PER_SECOND = "MAILJET_REQUESTS_PER_SECOND";
    /** Variable: the longest wait for one API answer, per attempt. */
    public static final String REQUEST_TIMEOUT = "MAILJET_REQUEST_TIMEOUT";
    /** Default of {@code MAILJET_REQUEST_TIMEOUT}. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MIN_REQUEST_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MAX_REQUEST_TIMEOUT = Duration.ofMinutes(10);

    /** Validates every value, naming each problem by its variable. */
    public MailjetSettings {
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(apiSecret, "apiSecret");
        Objects.requireNonNull(apiUrl, "apiUrl");
        mxHosts = mxHosts.stream().map(MailjetSettings::normalizeHost).toList();
        Objects.requireNonNull(spfInclude, "spfInclude");
        Objects.requireNonNull(inboundUrl, "inboundUrl");
        Objects.requireNonNull(inboundSecret, "inboundSecret");
        Objects.requireNonNull(smtpHost, "smtpHost");
        List<String> problems = problems(apiKey, apiUrl.toString(), mxHosts, spfInclude,
                inboundUrl.map(URI::toString).orElse(null), smtpHost, smtpPort);
        inboundSecret.flatMap(MailjetSettings::inboundSecretProblem).ifPresent(problems::add);
        Objects.requireNonNull(requestsPerSecond, "requestsPerSecond");
        if (requestsPerSecond.isPresent() && (requestsPerSecond.getAsInt() < 1 || requestsPerSecond.getAsInt() > 1000)) {
            problems.add(REQUESTS_PER_SECOND + " must be between 1 and 1000, got " + requestsPerSecond.getAsInt());
        }
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        requestTimeoutProblem(requestTimeout).ifPresent(problems::add);
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
    }

    /**
     * Reads the {@code MAILJET_*} variables.
     *
     * @param source the configuration
     * @return the settings
     * @throws ConfigurationException naming every missing or malformed variable
     */
    public static MailjetSettings from(ConfigSource source) {
        SettingsReader r = new SettingsReader(source);
        String apiKey = r.required(API_KEY);
        Secret apiSecret = r.secret(API_SECRET);
        String apiUrl = r.string(API_URL, DEFAULT_API_URL);
        List<String> mx = r.list(MX_HOSTS, List.of(DEFAULT_MX_HOST));
        String spf = r.string(SPF_INCLUDE, DEFAULT_SPF_INCLUDE);
        Optional<String> inbound = r.optional(INBOUND_URL);
        Optional<Secret> inboundSecret = r.optionalSecret(INBOUND_SECRET);
        String smtpHost = r.string(SMTP_HOST, DEFAULT_SMTP_HOST);
        int smtpPort = r.integer(SMTP_PORT, DEFAULT_SMTP_PORT, 1, 65535);
        OptionalInt rate = r.optional(REQUESTS_PER_SECOND).isEmpty() ? OptionalInt.empty()
                : OptionalInt.of(r.integer(REQUESTS_PER_SECOND, 1, 1, 1000));
        Duration timeout = r.duration(REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
        requestTimeoutProblem(timeout).ifPresent(r::problem);
        inboundSecret.flatMap(MailjetSettings::inboundSecretProblem).ifPresent(r::problem);
        // "required" above already reported a missing key; skip its duplicate here
        problems(apiKey.isEmpty() ? "-" : apiKey, apiUrl, mx, spf, inbound.orElse(null), smtpHost, smtpPort)
                .forEach(r::problem);
        r.validate();
        return new MailjetSettings(apiKey, apiSecret, URI.create(apiUrl), mx, spf, inbound.map(URI::create),
                inboundSecret, smtpHost, smtpPort, rate, timeout);
    }

    private static Optional<String> requestTimeoutProblem(Duration timeout) {
        if (timeout.compareTo(MIN_REQUEST_TIMEOUT) < 0 || timeout.compareTo(MAX_REQUEST_TIMEOUT) > 0) {
            return Optional.of(REQUEST_TIMEOUT + " must be between 1s and 10m, got " + timeout.toMillis() + " ms");
        }
        return Optional.empty();
    }

    /**
     * @param apiKey the API key (also the SMTP username)
     * @param apiSecret the API secret key (also the SMTP password)
     * @return a builder with the defaults; the inbound URL must be set too for mailboxes
     */
    public static Builder builder(String apiKey, Secret apiSecret) {
        return new Builder(apiKey, apiSecret);
    }

    private static List<String> problems(String apiKey, String apiUrl, List<String> mxHosts, String spfInclude,
            @Nullable String inboundUrl, String smtpHost, int smtpPort) {
        List<String> problems = new ArrayList<>();
        if (apiKey.isBlank()) {
            problems.add(API_KEY + " is required but not set");
        } else if (!apiKey.matches("[A-Za-z0-9_-]+")) {
            problems.add(API_KEY + " must be letters and digits only (check for a pasted quote or space)");
        }
        SettingsReader.endpointProblem(apiUrl).ifPresent(p -> problems.add(API_URL + " " + p));
        if (mxHosts.isEmpty()) {
            problems.add(MX_HOSTS + " must name at least one host");
        }
        for (String h : mxHosts) {
            try {
                MailboxAddress.requireDomain(normalizeHost(h));
            } catch (IllegalArgumentException e) {
                problems.add(MX_HOSTS + " holds an invalid host name: '" + h + "'");
            }
        }
        SpfMechanism.problem(spfInclude).ifPresent(p -> problems.add(SPF_INCLUDE + " " + p + ", got '"
                + LogText.escape(spfInclude) + "'"));
        if (inboundUrl != null) {
            inboundUrlProblem(inboundUrl).ifPresent(p -> problems.add(INBOUND_URL + " " + p));
        }
        try {
            MailboxAddress.requireDomain(smtpHost.toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(SMTP_HOST + " is not a valid host name: '" + smtpHost + "'");
        }
        if (smtpPort < 1 || smtpPort > 65535) {
            problems.add(SMTP_PORT + " must be between 1 and 65535, got " + smtpPort);
        }
        return problems;
    }

    /** The shared rule of core ({@link InboundSecretRule}), applied to {@value #INBOUND_SECRET}. */
    private static Optional<String> inboundSecretProblem(Secret secret) {
        return InboundSecretRule.problem(INBOUND_SECRET, secret);
    }

    /** Lower case, without the trailing dot of a fully qualified name ({@code parse.mailjet.com.}). */
    private static String normalizeHost(String host) {
        String h = host.strip().toLowerCase(java.util.Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static Optional<String> inboundUrlProblem(String raw) {
        Optional<String> endpoint = SettingsReader.endpointProblem(raw);
        if (endpoint.isPresent()) {
            return endpoint;
        }
        URI uri = URI.create(raw);
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry credentials: set " + INBOUND_SECRET + " instead");
        }
        if (uri.getRawQuery() != null && uri.getRawQuery().matches("(.*&)?token=.*")) {
            return Optional.of("must not carry a token in its query: set " + INBOUND_SECRET + " instead");
        }
        String path = uri.getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            // [DOC] _parse-api.md: the route URL may not be the site root
            return Optional.of("must have a path: Mailjet refuses the site root as a parse route URL");
        }
        return Optional.empty();
    }

    /**
     * @return the inbound URL
     * @throws ConfigurationException if {@code MAILJET_INBOUND_URL} is not set
     */
    URI requireInboundUrl() {
        return inboundUrl.orElseThrow(() -> new ConfigurationException(INBOUND_URL_REQUIRED));
    }

    /**
     * The URL parse routes point at: {@code MAILJET_INBOUND_URL}, carrying {@code mailjet:<MAILJET_INBOUND_SECRET>}
     * as Basic credentials when a secret is set (Mailjet's documented way to authenticate its calls).
     *
     * @return the route URL; contains the secret, never log it
     * @throws ConfigurationException if {@code MAILJET_INBOUND_URL} is not set
     */
    String inboundRouteUrl() {
        URI base = requireInboundUrl();
        if (inboundSecret.isEmpty()) {
            return base.toString();
        }
        String rest = base.getRawPath() + (base.getRawQuery() == null ? "" : "?" + base.getRawQuery());
        // the secret's characters need no percent-encoding (checked on construction), so Mailjet sends it back as is
        return base.getScheme() + "://" + INBOUND_USER + ":" + inboundSecret.get().reveal() + "@"
                + base.getRawAuthority() + rest;
    }

    @Override
    public String toString() {
        return "MailjetSettings[apiKey=" + maskedKey() + ", apiSecret=****, apiUrl=" + apiUrl + ", mxHosts=" + mxHosts
                + ", spfInclude=" + spfInclude + ", inboundUrl=" + inboundUrl.map(URI::toString).orElse("(not set)")
                + ", inboundSecret=" + (inboundSecret.isPresent() ? "****" : "(not set)") + ", smtp=" + smtpHost + ":"
                + smtpPort + ", requestsPerSecond=" + requestsPerSecond + ", requestTimeout=" + requestTimeout + "]";
    }

    private String maskedKey() {
        return apiKey.length() <= 4 ? "****" : "****" + apiKey.substring(apiKey.length() - 4);
    }

    /** Builds {@link MailjetSettings} for explicit wiring. */
    public static final class Builder {
        private final String apiKey;
        private final Secret apiSecret;
        private URI apiUrl = URI.create(DEFAULT_API_URL);
        private List<String> mxHosts = List.of(DEFAULT_MX_HOST);
        private String spfInclude = DEFAULT_SPF_INCLUDE;
        private Optional<URI> inboundUrl = Optional.empty();
        private Optional<Secret> inboundSecret = Optional.empty();
        private String smtpHost = DEFAULT_SMTP_HOST;
        private int smtpPort = DEFAULT_SMTP_PORT;
        private OptionalInt requestsPerSecond = OptionalInt.empty();
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

        private Builder(String apiKey, Secret apiSecret) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            this.apiSecret = Objects.requireNonNull(apiSecret, "apiSecret");
        }

        /**
         * @param url the REST base URL
         * @return this builder
         */
        public Builder apiUrl(URI url) {
            this.apiUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        /**
         * @param hosts the inbound MX hosts
         * @return this builder
         */
        public Builder mxHosts(List<String> hosts) {
            this.mxHosts = List.copyOf(hosts);
            return this;
        }

        /**
         * @param mechanism the SPF mechanism
         * @return this builder
         */
        public Builder spfInclude(String mechanism) {
            this.spfInclude = Objects.requireNonNull(mechanism, "mechanism");
            return this;
        }

        /**
         * @param url where Mailjet posts inbound mail, without credentials
         * @return this builder
         */
        public Builder inboundUrl(URI url) {
            this.inboundUrl = Optional.of(url);
            return this;
        }

        /**
         * @param secret the password Mailjet presents on inbound calls
         * @return this builder
         */
        public Builder inboundSecret(Secret secret) {
            this.inboundSecret = Optional.of(secret);
            return this;
        }

        /**
         * @param host the SMTP relay host
         * @param port the SMTP relay port
         * @return this builder
         */
        public Builder smtp(String host, int port) {
            this.smtpHost = Objects.requireNonNull(host, "host");
            this.smtpPort = port;
            return this;
        }

        /**
         * @param rate a ceiling on the API call rate, per second (1 to 1000); unset, the pace is only discovered
         * @return this builder
         */
        public Builder requestsPerSecond(int rate) {
            this.requestsPerSecond = OptionalInt.of(rate);
            return this;
        }

        /**
         * @param timeout the longest wait for one API answer, per attempt (1 second to 10 minutes; default 30 s)
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * @return the settings
         * @throws ConfigurationException naming every problem
         */
        public MailjetSettings build() {
            return new MailjetSettings(apiKey, apiSecret, apiUrl, mxHosts, spfInclude, inboundUrl, inboundSecret,
                    smtpHost, smtpPort, requestsPerSecond, requestTimeout);
        }
    }
}
