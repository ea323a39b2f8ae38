package io.azt3knet.mail.mailjet;

import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.config.SettingsReader;
import io.azt3knet.mail.internal.util.LogText;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which Mailjet key pair an agent gets as its SMTP login. Mailjet has no SMTP-only credentials: a key pair logs in
 * to SMTP and to the whole REST API of whatever it belongs to.
 *
 * <ul>
 *   <li>{@link Account} (the default): the account's own pair, {@code MAILJET_API_KEY} / {@code MAILJET_API_SECRET}.
 *       Works end to end with what Mailjet documents, but an agent holding it holds the account: it can list
 *       every parse route (and the inbound secret in their URLs), delete routes and create keys.</li>
 *   <li>{@link Population}: one sub-account key for a whole population ({@code POST /v3/REST/apikey}, named
 *       {@code azt3knet-population-<name>}), created once and found again by name on every later run, with the
 *       domain's catch-all sender {@code *@domain} registered under that key (senders are per key at Mailjet).</li>
 *   <li>{@link PerAgent}: one sub-account key per agent, named after its address, deactivated when its mailbox is
 *       deleted.</li>
 * </ul>
 *
 * UNCONFIRMED at Mailjet, and the reason {@code account} stays the default: whether a sub-account key may send as
 * {@code *@domain} once its own sender is registered and validated by the domain's ownership TXT record (Mailjet's
 * documented alternative is a metasender, which needs its support). See {@code SECURITY.md}.
 *
 * <p>Configuration: {@value #MODE} ({@code account}, {@code population} or {@code agent}) and, for
 * {@code population}, {@value #POPULATION} (letters, digits, {@code . _ -}, at most
 * {@value #MAX_POPULATION_NAME} characters).
 */
public sealed interface MailjetCredentialsMode {

    /** Variable: the credentials mode, {@code account} (default), {@code population} or {@code agent}. */
    String MODE = "MAILJET_CREDENTIALS_MODE";
    /** Variable: the population's name, which names its key; required with {@code population}. */
    String POPULATION = "MAILJET_POPULATION";
    /** The longest population name. */
    int MAX_POPULATION_NAME = 100;
    /** What every population key's name starts with. */
    String POPULATION_KEY_PREFIX = "azt3knet-population-";

    /** @return the account's own key pair for every agent (the default) */
    static MailjetCredentialsMode account() {
        return new Account();
    }

    /**
     * @param name the population's name: letters, digits, {@code . _ -}, 1 to {@value #MAX_POPULATION_NAME} characters
     * @return one sub-account key shared by the population's agents
     * @throws IllegalArgumentException if the name is not valid
     */
    static MailjetCredentialsMode population(String name) {
        return new Population(name);
    }

    /** @return one sub-account key per agent */
    static MailjetCredentialsMode perAgent() {
        return new PerAgent();
    }

    /**
     * Reads {@value #MODE} and {@value #POPULATION}.
     *
     * @param source the configuration
     * @return the mode; {@code account} when {@value #MODE} is not set
     * @throws ConfigurationException naming the variable when a value is not valid or the population name is missing
     */
    static MailjetCredentialsMode from(ConfigSource source) {
        SettingsReader r = new SettingsReader(source);
        String mode = r.string(MODE, "account").strip().toLowerCase(Locale.ROOT);
        Optional<String> population = r.optional(POPULATION);
        MailjetCredentialsMode result = new Account();
        switch (mode) {
            case "account" -> result = new Account();
            case "agent" -> result = new PerAgent();
            case "population" -> {
                if (population.isEmpty()) {
                    r.problem(POPULATION + " is required when " + MODE + "=population: the population's name, which"
                            + " names its Mailjet key");
                } else {
                    Optional<String> problem = Population.problem(population.get());
                    if (problem.isPresent()) {
                        r.problem(POPULATION + " " + problem.get());
                    } else {
                        result = new Population(population.get());
                    }
                }
            }
            default -> r.problem(MODE + " must be account, population or agent, got '" + LogText.escape(mode) + "'");
        }
        r.validate();
        return result;
    }

    /** @return the mode's name as {@value #MODE} spells it */
    String configName();

    /** The account's own key pair for every agent. */
    record Account() implements MailjetCredentialsMode {
        @Override
        public String configName() {
            return "account";
        }
    }

    /**
     * One sub-account key for the population's agents.
     *
     * @param name the population's name
     */
    record Population(String name) implements MailjetCredentialsMode {

        /** Validates the name. */
        public Population {
            Objects.requireNonNull(name, "name");
            problem(name).ifPresent(p -> {
                throw new IllegalArgumentException("population name " + p);
            });
        }

        static Optional<String> problem(String name) {
            if (name.isEmpty() || name.length() > MAX_POPULATION_NAME || !name.matches("[A-Za-z0-9._-]+")) {
                return Optional.of("must be 1 to " + MAX_POPULATION_NAME + " letters, digits, '.', '_' or '-', got '"
                        + LogText.escape(name) + "'");
            }
            return Optional.empty();
        }

        /** @return the name of the population's Mailjet key */
        public String keyName() {
            return POPULATION_KEY_PREFIX + name;
        }

        @Override
        public String configName() {
            return "population";
        }
    }

    /** One sub-account key per agent. */
    record PerAgent() implements MailjetCredentialsMode {
        @Override
        public String configName() {
            return "agent";
        }
    }
}
