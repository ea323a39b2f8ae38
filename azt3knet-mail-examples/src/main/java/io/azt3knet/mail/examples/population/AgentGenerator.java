package io.azt3knet.mail.examples.population;

import io.azt3knet.mail.AgentIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.datafaker.Faker;

/**
 * Generates synthetic agents with names typical of a country, deterministically from a seed (Datafaker with a
 * seeded {@link Random}): the same country, seed and count give the same agents on every run.
 */
public final class AgentGenerator {

    private static final Map<String, Locale> LOCALES = new TreeMap<>(Map.ofEntries(
            Map.entry("AR", Locale.forLanguageTag("es-AR")),
            Map.entry("BR", Locale.forLanguageTag("pt-BR")),
            Map.entry("CA", Locale.forLanguageTag("en-CA")),
            Map.entry("CN", Locale.forLanguageTag("zh-CN")),
            Map.entry("DE", Locale.forLanguageTag("de")),
            Map.entry("ES", Locale.forLanguageTag("es")),
            Map.entry("FR", Locale.forLanguageTag("fr")),
            Map.entry("GB", Locale.forLanguageTag("en-GB")),
            Map.entry("GR", Locale.forLanguageTag("el-GR")),
            Map.entry("IN", Locale.forLanguageTag("en-IND")),
            Map.entry("IT", Locale.forLanguageTag("it")),
            Map.entry("JP", Locale.forLanguageTag("ja")),
            Map.entry("KR", Locale.forLanguageTag("ko")),
            Map.entry("MX", Locale.forLanguageTag("es-MX")),
            Map.entry("NL", Locale.forLanguageTag("nl")),
            Map.entry("PL", Locale.forLanguageTag("pl")),
            Map.entry("PT", Locale.forLanguageTag("pt")),
            Map.entry("RU", Locale.forLanguageTag("ru")),
            Map.entry("SE", Locale.forLanguageTag("sv")),
            Map.entry("TR", Locale.forLanguageTag("tr")),
            Map.entry("UA", Locale.forLanguageTag("uk")),
            Map.entry("US", Locale.forLanguageTag("en-US"))));

    private AgentGenerator() {
    }

    /** @return the supported ISO 3166 country codes */
    public static List<String> countries() {
        return List.copyOf(LOCALES.keySet());
    }

    /**
     * @param count how many agents (at least 0)
     * @param country an ISO 3166 alpha-2 code from {@link #countries()}, any case
     * @param seed the population seed
     * @return the agents, with ids {@code agent-00001}, ... so that each has a stable key
     * @throws IllegalArgumentException for an unknown country or a negative count
     */
    public static List<AgentIdentity> generate(int count, String country, long seed) {
        Locale locale = LOCALES.get(country.toUpperCase(Locale.ROOT));
        if (locale == null) {
            throw new IllegalArgumentException("unknown country '" + country + "'; supported: " + String.join(", ", countries()));
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        Faker faker = new Faker(locale, new Random(seed));
        int width = Math.max(5, String.valueOf(count).length());
        List<AgentIdentity> agents = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String first = faker.name().firstName();
            String last = faker.name().lastName();
            String username = faker.internet().username();
            agents.add(new AgentIdentity(first, last, username, String.format(Locale.ROOT, "agent-%0" + width + "d", i)));
        }
        return agents;
    }
}
