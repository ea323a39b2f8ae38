package io.azt3knet.mail.config;

import io.azt3knet.mail.ConfigurationException;
import io.github.cdimascio.dotenv.Dotenv;
import io.github.cdimascio.dotenv.DotenvEntry;
import io.github.cdimascio.dotenv.DotenvException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where configuration variables come from, in order of precedence: explicit values, JVM system
 * properties, environment variables, then a {@code .env} file. A blank value counts as absent. Immutable.
 *
 * <p>A {@code .env} file is refused, as ssh refuses its configuration, when someone else could have written
 * it: when it (or, through a symbolic link, its target) is writable by its group or by others, or owned by
 * another user than the one running the process. A planted {@code .env} could otherwise point
 * {@code MAILJET_API_URL} or {@code DESEC_API_URL} at a server that collects the real tokens.
 *
 * <pre>{@code
 * ConfigSource source = ConfigSource.builder()
 *         .put("DESEC_DOMAIN", "agents.example.org")  // wins over everything else
 *         .dotEnv(Path.of("/etc/azt3knet/.env"))
 *         .build();
 * }</pre>
 */
public final class ConfigSource {

    private final List<Map<String, String>> layers;

    private ConfigSource(List<Map<String, String>> layers) {
        this.layers = layers;
    }

    /** @return system properties, environment, and {@code .env} in the working directory if present */
    public static ConfigSource standard() {
        return builder().build();
    }

    /**
     * @param values the only values to look in (for tests and fully explicit wiring)
     * @return a source of exactly these values
     */
    public static ConfigSource of(Map<String, String> values) {
        return new ConfigSource(List.of(Map.copyOf(values)));
    }

    /** @return a builder with system properties, environment and {@code ./.env} enabled */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param name a variable name, e.g. {@code MAILJET_API_KEY}
     * @return its value from the first layer that has a non-blank one
     */
    public Optional<String> get(String name) {
        Objects.requireNonNull(name, "name");
        for (Map<String, String> layer : layers) {
            String v = layer.get(name);
            if (v != null && !v.isBlank()) {
                return Optional.of(v.strip());
            }
        }
        return Optional.empty();
    }

    /** Builds a {@link ConfigSource}. */
    public static final class Builder {
        private final Map<String, String> explicit = new LinkedHashMap<>();
        private boolean systemProperties = true;
        private boolean environment = true;
        private Map<String, String> environmentValues = System.getenv();
        private Optional<Path> dotEnv = Optional.of(Path.of(".env"));
        private boolean dotEnvRequired;

        private Builder() {
        }

        /**
         * Sets an explicit value, which takes precedence over every other layer.
         *
         * @param name the variable
         * @param value its value
         * @return this builder
         */
        public Builder put(String name, String value) {
            explicit.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @param values explicit values
         * @return this builder
         */
        public Builder putAll(Map<String, String> values) {
            values.forEach(this::put);
            return this;
        }

        /**
         * @param enabled whether JVM system properties are consulted (default true)
         * @return this builder
         */
        public Builder systemProperties(boolean enabled) {
            this.systemProperties = enabled;
            return this;
        }

        /**
         * @param enabled whether environment variables are consulted (default true)
         * @return this builder
         */
        public Builder environment(boolean enabled) {
            this.environment = enabled;
            return this;
        }

        /**
         * Replaces the process environment, for tests.
         *
         * @param values the variables to use as the environment
         * @return this builder
         */
        public Builder environment(Map<String, String> values) {
            this.environment = true;
            this.environmentValues = Map.copyOf(values);
            return this;
        }

        /**
         * Reads this {@code .env} file; it must exist.
         *
         * @param file the file
         * @return this builder
         */
        public Builder dotEnv(Path file) {
            this.dotEnv = Optional.of(file);
            this.dotEnvRequired = true;
            return this;
        }

        /** @return this builder, reading no {@code .env} file */
        public Builder noDotEnv() {
            this.dotEnv = Optional.empty();
            return this;
        }

        /**
         * @return the source
         * @throws ConfigurationException if a required {@code .env} file is missing or unreadable
         */
        public ConfigSource build() {
            List<Map<String, String>> layers = new ArrayList<>();
            layers.add(Map.copyOf(explicit));
            if (systemProperties) {
                Map<String, String> props = new HashMap<>();
                System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
                layers.add(props);
            }
            if (environment) {
                layers.add(environmentValues);
            }
            dotEnv.ifPresent(file -> layers.add(readDotEnv(file, dotEnvRequired)));
            return new ConfigSource(Collections.unmodifiableList(layers));
        }

        private static String locate(Path file) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException | UncheckedIOException e) {
                return "cannot be read as UTF-8 text: " + e.getClass().getSimpleName();
            }
            return DotEnvLines.firstProblem(lines).map(p -> "is malformed at " + p)
                    .orElse("is malformed (expected NAME=value lines, # comments and blank lines)");
        }

        private static Map<String, String> readDotEnv(Path file, boolean required) {
            if (!Files.isRegularFile(file)) {
                if (required) {
                    throw new ConfigurationException("the .env file " + file + " does not exist");
                }
                return Map.of();
            }
            checkOwnership(file);
            Path dir = file.toAbsolutePath().getParent();
            try {
                Map<String, String> values = new HashMap<>();
                Dotenv dotenv = Dotenv.configure()
                        .directory(dir == null ? "." : dir.toString())
                        .filename(file.getFileName().toString())
                        .load();
                for (DotenvEntry e : dotenv.entries(Dotenv.Filter.DECLARED_IN_ENV_FILE)) {
                    values.put(e.getKey(), e.getValue());
                }
                // the library drops an unclosed quoted value, and every line after it, without a word
                Optional<String> unclosed = DotEnvLines.firstProblem(Files.readAllLines(file, StandardCharsets.UTF_8));
                if (unclosed.isPresent()) {
                    throw new ConfigurationException("the .env file " + file + " is malformed at " + unclosed.get());
                }
                return values;
            } catch (IOException | UncheckedIOException e) {
                throw new ConfigurationException("the .env file " + file + " cannot be read as UTF-8 text: "
                        + e.getClass().getSimpleName());
            } catch (DotenvException e) {
                // the library's message may quote a line, and so a secret: name the line, never show it
                throw new ConfigurationException("the .env file " + file + " " + locate(file));
            }
        }

        /** Refuses a file someone else could have written (POSIX file systems; elsewhere nothing is checked). */
        private static void checkOwnership(Path file) {
            if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                return;
            }
            try {
                PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class);
                Set<PosixFilePermission> mode = attributes.permissions();
                if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                    throw new ConfigurationException("the .env file " + file + " is writable by "
                            + (mode.contains(PosixFilePermission.OTHERS_WRITE) ? "every user" : "its group")
                            + " (mode " + PosixFilePermissions.toString(mode) + "), so anyone could redirect the API "
                            + "endpoints and collect the tokens: chmod 600 " + file);
                }
                String me = System.getProperty("user.name", "");
                String owner = attributes.owner().getName();
                if (!owner.equals(me)) {
                    throw new ConfigurationException("the .env file " + file + " is owned by " + owner + ", not by "
                            + me + " who runs this process: it is not trusted (chown it, or use --env-file with "
                            + "a file of your own)");
                }
            } catch (IOException e) {
                throw new ConfigurationException("the .env file " + file + " cannot be checked: " + e.getMessage());
            }
        }
    }
}
