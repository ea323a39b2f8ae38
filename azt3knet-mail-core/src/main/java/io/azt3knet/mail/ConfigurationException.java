package io.azt3knet.mail;

import java.util.List;

/**
 * Settings are missing or malformed. Lists every problem at once, each naming the variable, so that
 * one run is enough to fix a configuration.
 */
public final class ConfigurationException extends MailException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /**
     * @param problems one line per problem, each naming the variable; not empty
     */
    public ConfigurationException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    /** @param problem the only problem, naming the variable */
    public ConfigurationException(String problem) {
        this(List.of(problem));
    }

    /** @return every problem found, each naming its variable */
    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a configuration error needs at least one problem");
        }
        if (problems.size() == 1) {
            return "Invalid configuration: " + problems.get(0);
        }
        StringBuilder sb = new StringBuilder("Invalid configuration (" + problems.size() + " problems):");
        problems.forEach(p -> sb.append("\n  - ").append(p));
        return sb.toString();
    }
}
