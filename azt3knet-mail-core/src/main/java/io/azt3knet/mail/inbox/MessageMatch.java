package io.azt3knet.mail.inbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a message must look like to be returned by {@link MessageStore#waitFor} (and filtered by a
 * {@link MessageQuery}). Both tests are case-insensitive "contains" tests on the decoded header text, so
 * {@code withFrom("ada@example.org")} matches {@code From: Ada <ADA@example.org>}. Immutable.
 *
 * <pre>{@code
 * MessageMatch match = MessageMatch.any().withFrom("ada@example.org").withSubjectContains("invoice");
 * }</pre>
 *
 * @param from text the {@code From} header must contain, if present
 * @param subjectContains text the subject must contain, if present
 */
public record MessageMatch(Optional<String> from, Optional<String> subjectContains) {

    private static final MessageMatch ANY = new MessageMatch(Optional.empty(), Optional.empty());

    /** Validates that the texts are not blank. */
    public MessageMatch {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(subjectContains, "subjectContains");
        from.ifPresent(f -> requireText(f, "from"));
        subjectContains.ifPresent(s -> requireText(s, "subjectContains"));
    }

    /** @return the match every message passes */
    public static MessageMatch any() {
        return ANY;
    }

    /**
     * @param text text the {@code From} header must contain (an address or a name), not blank
     * @return a copy with this sender test
     */
    public MessageMatch withFrom(String text) {
        return new MessageMatch(Optional.of(text), subjectContains);
    }

    /**
     * @param text text the subject must contain, not empty
     * @return a copy with this subject test
     */
    public MessageMatch withSubjectContains(String text) {
        return new MessageMatch(from, Optional.of(text));
    }

    /** @return whether every message passes */
    public boolean isAny() {
        return from.isEmpty() && subjectContains.isEmpty();
    }

    /**
     * @param message a summary
     * @return whether it passes both tests
     */
    public boolean test(MessageSummary message) {
        return from.map(f -> containsIgnoreCase(message.from(), f)).orElse(true)
                && subjectContains.map(s -> containsIgnoreCase(message.subject(), s)).orElse(true);
    }

    /** @return the tests in words, e.g. {@code from ada@example.org, subject containing "invoice"} */
    public String describe() {
        List<String> parts = new ArrayList<>();
        from.ifPresent(f -> parts.add("from " + f));
        subjectContains.ifPresent(s -> parts.add("subject containing \"" + s + "\""));
        return parts.isEmpty() ? "any message" : String.join(", ", parts);
    }

    private static boolean containsIgnoreCase(String text, String part) {
        return text.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
    }

    private static void requireText(String value, String what) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
