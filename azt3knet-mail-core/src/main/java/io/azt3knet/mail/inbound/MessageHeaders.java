package io.azt3knet.mail.inbound;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable, case-insensitive multimap of header names to values, keeping the first spelling of each
 * name and the order in which names first appeared.
 */
public final class MessageHeaders {

    private static final MessageHeaders EMPTY = new MessageHeaders(Map.of(), Map.of());

    private final Map<String, List<String>> byLowerName;
    private final Map<String, String> spelling;

    private MessageHeaders(Map<String, List<String>> byLowerName, Map<String, String> spelling) {
        this.byLowerName = byLowerName;
        this.spelling = spelling;
    }

    /** @return headers with no entries */
    public static MessageHeaders empty() {
        return EMPTY;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param name a header name, any case
     * @return all values of that header, in order; empty if absent
     */
    public List<String> all(String name) {
        return byLowerName.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /**
     * @param name a header name, any case
     * @return the first value of that header
     */
    public Optional<String> first(String name) {
        List<String> values = all(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** @return the header names as first spelled, in order of first appearance */
    public List<String> names() {
        return List.copyOf(spelling.values());
    }

    /** @return a map view of names (as first spelled) to values, in order */
    public Map<String, List<String>> asMap() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        spelling.forEach((lower, name) -> out.put(name, byLowerName.get(lower)));
        return Collections.unmodifiableMap(out);
    }

    /** @return the number of distinct header names */
    public int size() {
        return byLowerName.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageHeaders other && byLowerName.equals(other.byLowerName);
    }

    @Override
    public int hashCode() {
        return byLowerName.hashCode();
    }

    @Override
    public String toString() {
        return asMap().toString();
    }

    /** Builds {@link MessageHeaders}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, List<String>> values = new LinkedHashMap<>();
        private final Map<String, String> spelling = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds one value.
         *
         * @param name the header name
         * @param value the value
         * @return this builder
         */
        public Builder add(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            String lower = name.toLowerCase(Locale.ROOT);
            spelling.putIfAbsent(lower, name);
            values.computeIfAbsent(lower, k -> new ArrayList<>()).add(value);
            return this;
        }

        /** @return the headers */
        public MessageHeaders build() {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return new MessageHeaders(Collections.unmodifiableMap(copy),
                    Collections.unmodifiableMap(new LinkedHashMap<>(spelling)));
        }
    }
}
