package io.azt3knet.mail.examples.cli;

import io.azt3knet.mail.config.ProvisioningSettings;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options that decide agents' addresses, shared by {@code name} and {@code populate} (a picocli mixin):
 * {@code --seed}, {@code --at}, {@code --domain}, {@code --prefix}.
 */
final class NamingOptions {

    @Option(names = "--seed", paramLabel = "<long>", defaultValue = "0",
            description = "population seed the three digits (and generated agents) derive from (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--at", paramLabel = "<instant>", converter = InstantConverter.class,
            description = "name everyone at this ISO-8601 instant, e.g. 2024-10-05T12:30:45Z (default: now)")
    private @Nullable Instant at;

    @Option(names = "--domain", paramLabel = "<domain>",
            description = "mail domain; overrides " + ProvisioningSettings.DOMAIN)
    private @Nullable String domain;

    @Option(names = "--prefix", paramLabel = "<label>",
            description = "prefix label in front of every address; overrides " + ProvisioningSettings.PREFIX)
    private @Nullable String prefix;

    /** @return the population seed */
    long seed() {
        return seed;
    }

    /** @return the fixed naming instant, if one was given */
    Optional<Instant> at() {
        return Optional.ofNullable(at);
    }

    /** @return {@code --domain} and {@code --prefix} as configuration values that win over every other source */
    Map<String, String> overrides() {
        Map<String, String> overrides = new HashMap<>();
        if (domain != null) {
            overrides.put(ProvisioningSettings.DOMAIN, domain);
        }
        if (prefix != null) {
            overrides.put(ProvisioningSettings.PREFIX, prefix);
        }
        return overrides;
    }

    /** Accepts {@code 2024-10-05T12:30:45Z} and offsets such as {@code 2024-10-05T14:30:45+02:00}. */
    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value
                        + "' is not an ISO-8601 instant such as 2024-10-05T12:30:45Z");
            }
        }
    }
}
