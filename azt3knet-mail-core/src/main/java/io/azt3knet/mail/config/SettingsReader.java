package io.azt3knet.mail.config;

import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.internal.http.Loopback;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads typed settings from a {@link ConfigSource}, collecting every problem instead of stopping at the
 * first. Each reader method returns a usable placeholder when the value is missing or malformed, so that
 * reading can go on; {@link #validate()} then throws one {@link ConfigurationException} naming them all.
 *
 * <pre>{@code
 * SettingsReader r = new SettingsReader(source);
 * Secret token = r.secret("DESEC_TOKEN");
 * URI api = r.endpoint("DESEC_API_URL", "https://desec.io/api/v1");
 * r.validate(); // throws, listing DESEC_TOKEN if it was missing
 * }</pre>
 */
public final class SettingsReader {

    private static final Secret PLACEHOLDER_SECRET = Secret.of("<missing>");

    private final ConfigSource source;
    private final List<String> problems = new ArrayList<>();

    /** @param source where variables come from */
    public SettingsReader(ConfigSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** @return the source this reader reads */
    public ConfigSource source() {
        return source;
    }

    /**
     * @param name variable
     * @return its value, or {@code ""} after recording a problem if missing
     */
    public String required(String name) {
        Optional<String> v = source.get(name);
        if (v.isEmpty()) {
            problems.add(name + " is required but not set");
            return "";
        }
        return v.get();
    }

    /**
     * @param name variable
     * @return its value, if set
     */
    public Optional<String> optional(String name) {
        return source.get(name);
    }

    /**
     * @param name variable
     * @param defaultValue value when unset
     * @return its value or the default
     */
    public String string(String name, String defaultValue) {
        return source.get(name).orElse(defaultValue);
    }

    /**
     * @param name variable holding a secret
     * @return the secret, or a placeholder after recording a problem if missing
     */
    public Secret secret(String name) {
        String v = required(name);
        return v.isEmpty() ? PLACEHOLDER_SECRET : Secret.of(v);
    }

    /**
     * @param name variable holding a secret
     * @return the secret, if set
     */
    public Optional<Secret> optionalSecret(String name) {
        return source.get(name).map(Secret::of);
    }

    /**
     * @param name variable holding a domain
     * @return the lower-case domain, or {@code "invalid.invalid"} after recording a problem
     */
    public String domain(String name) {
        String v = required(name).toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return "invalid.invalid";
        }
        try {
            return MailboxAddress.requireDomain(v);
        } catch (IllegalArgumentException e) {
            problems.add(name + " is not a valid domain name: '" + v + "'");
            return "invalid.invalid";
        }
    }

    /**
     * Reads an endpoint URL, which must be {@code https://}, or {@code http://} on a loopback host.
     *
     * @param name variable
     * @param defaultValue URL when unset
     * @return the URL (the default after recording a problem if malformed)
     */
    public URI endpoint(String name, String defaultValue) {
        String raw = source.get(name).orElse(defaultValue);
        Optional<String> problem = endpointProblem(raw);
        if (problem.isPresent()) {
            problems.add(name + " " + problem.get());
            return URI.create(defaultValue);
        }
        return URI.create(raw);
    }

    /**
     * Checks an endpoint URL against the library's rule: {@code https://}, or {@code http://} only on a
     * loopback host; no user-info (credentials belong in their own secret variables, never in a URL).
     *
     * @param raw the URL text
     * @return what is wrong with it, if anything (never quoting user-info)
     */
    public static Optional<String> endpointProblem(String raw) {
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return Optional.of("must be an absolute https:// URL");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry credentials (user:password@): use the token or secret variable");
        }
        if (scheme.equals("http") && !Loopback.isLoopback(uri.getHost())) {
            return Optional.of("must use https:// (plain http:// is accepted only for a loopback host), got host "
                    + uri.getHost());
        }
        return Optional.empty();
    }

    /**
     * @param name variable
     * @param defaultValue value when unset
     * @param min smallest accepted value
     * @param max largest accepted value
     * @return the integer (the default after recording a problem if malformed or out of range)
     */
    public int integer(String name, int defaultValue, int min, int max) {
        Optional<String> raw = source.get(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int v = Integer.parseInt(raw.get());
            if (v < min || v > max) {
                problems.add(name + " must be between " + min + " and " + max + ", got " + v);
                return defaultValue;
            }
            return v;
        } catch (NumberFormatException e) {
            problems.add(name + " must be an integer, got '" + raw.get() + "'");
            return defaultValue;
        }
    }

    /**
     * Reads a duration as ISO-8601 ({@code PT24H}) or a number with a unit ({@code 90s}, {@code 15m},
     * {@code 24h}, {@code 7d}).
     *
     * @param name variable
     * @param defaultValue value when unset
     * @return the duration (the default after recording a problem)
     */
    public Duration duration(String name, Duration defaultValue) {
        Optional<String> raw = source.get(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        Optional<Duration> d = parseDuration(raw.get());
        if (d.isEmpty() || d.get().isNegative() || d.get().isZero()) {
            problems.add(name + " must be a positive duration such as 90s, 15m, 24h or PT24H, got '" + raw.get() + "'");
            return defaultValue;
        }
        return d.get();
    }

    /**
     * @param text {@code PT24H}, {@code 90s}, {@code 15m}, {@code 24h}, {@code 7d} or {@code 500ms}
     * @return the duration, if the text is one
     */
    public static Optional<Duration> parseDuration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Optional.of(Duration.parse(t.toUpperCase(Locale.ROOT)));
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(t);
            if (!m.matches()) {
                return Optional.empty();
            }
            long n = Long.parseLong(m.group(1));
            return Optional.of(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    /**
     * @param name variable holding a comma-separated list
     * @param defaultValue list when unset
     * @return the trimmed, non-empty items
     */
    public List<String> list(String name, List<String> defaultValue) {
        return source.get(name)
                .map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
                .filter(l -> !l.isEmpty())
                .orElse(List.copyOf(defaultValue));
    }

    /**
     * Records a problem found by the caller's own checks.
     *
     * @param problem what is wrong, naming the variable
     */
    public void problem(String problem) {
        problems.add(Objects.requireNonNull(problem, "problem"));
    }

    /** @return the problems recorded so far */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * @throws ConfigurationException listing every problem recorded, if any
     */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
    }
}
