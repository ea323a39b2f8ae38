package io.azt3knet.mail.naming;

import java.util.function.UnaryOperator;

/**
 * A bounded memo of folded name components: names repeat heavily in a population (a few thousand first and last
 * names cover most people), and folding a non-ASCII name (normalization, script tables, ICU's transliterator) costs
 * microseconds where a look-up costs nanoseconds. The fold is a pure function of its input, so a hit gives exactly
 * what folding again would: the memo changes speed, never an address.
 *
 * <p>Direct-mapped: {@value #SLOTS} slots, one entry each, a new entry replacing whatever shared its slot. Inputs
 * longer than {@value #MAX_KEY_LENGTH} characters are folded every time, so the memo holds at most {@value #SLOTS}
 * short names (a few hundred kilobytes at worst). Thread-safe without locks: a slot holds an immutable entry, and a
 * reader that sees a stale or empty slot folds the name itself.
 */
final class FoldedNames {

    /** Number of slots, a power of two. */
    static final int SLOTS = 4096;
    /** Longest input kept, in chars: longer than nearly every real name component. */
    static final int MAX_KEY_LENGTH = 32;

    private record Entry(String text, String folded) {
    }

    // Plain array: the entries are immutable (final fields), so a racing reader sees a whole entry or none.
    private final Entry[] slots = new Entry[SLOTS];

    /**
     * @param text the input
     * @param fold the pure function to memoize
     * @return {@code fold.apply(text)}
     */
    String computeIfAbsent(String text, UnaryOperator<String> fold) {
        if (text.length() > MAX_KEY_LENGTH) {
            return fold.apply(text);
        }
        int h = text.hashCode();
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        Entry entry = slots[slot];
        if (entry != null && entry.text().equals(text)) {
            return entry.folded();
        }
        String folded = fold.apply(text);
        slots[slot] = new Entry(text, folded);
        return folded;
    }
}
