package io.azt3knet.mail.naming;

import java.lang.Character.UnicodeScript;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds one name component to {@code [a-z0-9]*}, as the naming specification requires. In order:
 * <ol>
 *   <li>NFKC (full-width and compatibility forms become ordinary letters and digits);</li>
 *   <li>transliteration to Latin: Cyrillic and Greek by the built-in tables of this class, always, so
 *       that these names give the same address with and without ICU; every other non-Latin script by
 *       ICU's {@code Any-Latin} when ICU4J is on the class path, and dropped otherwise;</li>
 *   <li>lower case ({@link Locale#ROOT}), NFKD, combining marks dropped;</li>
 *   <li>the letter folds that have no decomposition ({@code ß->ss, æ->ae, ø->o, ł->l, đ->d, ð->d,
 *       þ->th, œ->oe, ı->i, ə->e, ŋ->n, ħ->h, ŧ->t, ĸ->k}); decimal digits of any script become ASCII
 *       digits;</li>
 *   <li>everything else, including spaces, punctuation, quotes, {@code @}, {@code /}, CR and LF, is
 *       dropped.</li>
 * </ol>
 * Only the first {@value #MAX_INPUT_CODE_POINTS} code points of a component are read: the namer keeps 16
 * characters of the result, and a hostile 60,000-character field must not cost seconds of transliteration.
 * ASCII text takes a short path that gives the same result without normalizing; the results for other short text
 * are memoized ({@link FoldedNames}), since names repeat. Thread-safe.
 */
final class NameSanitizer {

    /** How much of a component is read; far more than the 16 characters an address keeps. */
    static final int MAX_INPUT_CODE_POINTS = 256;

    private static final Logger LOG = LoggerFactory.getLogger(NameSanitizer.class);

    /**
     * The sanitizer the namer uses: with ICU when ICU4J is on the class path. ICU's transliterator is built on the
     * first name that needs it (a script other than Latin, Cyrillic and Greek), never before: building it loads
     * ICU's data, which takes most of a second, and names in the scripts this class handles itself never pay
     * for it.
     */
    static final NameSanitizer STANDARD = new NameSanitizer(Optional.of(NameSanitizer::transliterateWithIcu));

    private static final Map<Integer, String> LETTER_FOLDS = Map.ofEntries(
            Map.entry((int) 'ß', "ss"), Map.entry((int) 'æ', "ae"), Map.entry((int) 'ø', "o"),
            Map.entry((int) 'ł', "l"), Map.entry((int) 'đ', "d"), Map.entry((int) 'ð', "d"),
            Map.entry((int) 'þ', "th"), Map.entry((int) 'œ', "oe"), Map.entry((int) 'ı', "i"),
            Map.entry((int) 'ə', "e"), Map.entry((int) 'ŋ', "n"), Map.entry((int) 'ħ', "h"),
            Map.entry((int) 'ŧ', "t"), Map.entry((int) 'ĸ', "k"));

    /**
     * Cyrillic, lower case: a simplified BGN/PCGN romanization (no diacritics or apostrophes), plus the
     * Ukrainian, Belarusian, Serbian and Macedonian letters. Readable ({@code Юлия -> yuliya},
     * {@code Хрущёв -> khrushchev}) where ICU's ISO 9 folded to ASCII is not ({@code ulia, hrusev}).
     */
    private static final Map<Integer, String> CYRILLIC = Map.ofEntries(
            Map.entry((int) 'а', "a"), Map.entry((int) 'б', "b"), Map.entry((int) 'в', "v"),
            Map.entry((int) 'г', "g"), Map.entry((int) 'д', "d"), Map.entry((int) 'е', "e"),
            Map.entry((int) 'ё', "e"), Map.entry((int) 'ж', "zh"), Map.entry((int) 'з', "z"),
            Map.entry((int) 'и', "i"), Map.entry((int) 'й', "y"), Map.entry((int) 'к', "k"),
            Map.entry((int) 'л', "l"), Map.entry((int) 'м', "m"), Map.entry((int) 'н', "n"),
            Map.entry((int) 'о', "o"), Map.entry((int) 'п', "p"), Map.entry((int) 'р', "r"),
            Map.entry((int) 'с', "s"), Map.entry((int) 'т', "t"), Map.entry((int) 'у', "u"),
            Map.entry((int) 'ф', "f"), Map.entry((int) 'х', "kh"), Map.entry((int) 'ц', "ts"),
            Map.entry((int) 'ч', "ch"), Map.entry((int) 'ш', "sh"), Map.entry((int) 'щ', "shch"),
            Map.entry((int) 'ъ', ""), Map.entry((int) 'ы', "y"), Map.entry((int) 'ь', ""),
            Map.entry((int) 'э', "e"), Map.entry((int) 'ю', "yu"), Map.entry((int) 'я', "ya"),
            Map.entry((int) 'є', "ye"), Map.entry((int) 'і', "i"), Map.entry((int) 'ї', "yi"),
            Map.entry((int) 'ґ', "g"), Map.entry((int) 'ў', "u"), Map.entry((int) 'ђ', "dj"),
            Map.entry((int) 'ј', "j"), Map.entry((int) 'љ', "lj"), Map.entry((int) 'њ', "nj"),
            Map.entry((int) 'ћ', "c"), Map.entry((int) 'џ', "dz"), Map.entry((int) 'ѓ', "gj"),
            Map.entry((int) 'ќ', "kj"), Map.entry((int) 'ѕ', "dz"));

    /**
     * Greek, lower case, accents already removed: modern pronunciation after ELOT 743 (ISO 843 type 2)
     * in ASCII ({@code Χρήστος -> christos}, {@code Δημήτρης -> dimitris}); the digraphs are handled in
     * {@link #appendGreek}.
     */
    private static final Map<Character, String> GREEK = Map.ofEntries(
            Map.entry('α', "a"), Map.entry('β', "v"), Map.entry('γ', "g"), Map.entry('δ', "d"),
            Map.entry('ε', "e"), Map.entry('ζ', "z"), Map.entry('η', "i"), Map.entry('θ', "th"),
            Map.entry('ι', "i"), Map.entry('κ', "k"), Map.entry('λ', "l"), Map.entry('μ', "m"),
            Map.entry('ν', "n"), Map.entry('ξ', "x"), Map.entry('ο', "o"), Map.entry('π', "p"),
            Map.entry('ρ', "r"), Map.entry('σ', "s"), Map.entry('ς', "s"), Map.entry('ϲ', "s"),
            Map.entry('τ', "t"), Map.entry('υ', "y"), Map.entry('φ', "f"), Map.entry('χ', "ch"),
            Map.entry('ψ', "ps"), Map.entry('ω', "o"));

    /** Before these (and at the end of a word) αυ, ευ, ηυ are pronounced af, ef, if. */
    private static final String GREEK_VOICELESS = "θκξπσςτφχψ";
    private static final char COMBINING_DIAERESIS = '\u0308';

    private final Optional<UnaryOperator<String>> otherScripts;
    private final FoldedNames memo = new FoldedNames();
    private final UnaryOperator<String> fold = this::fold;

    /**
     * @param otherScripts transliteration to Latin for scripts other than Latin, Cyrillic and Greek; empty
     *     to drop those letters
     */
    NameSanitizer(Optional<UnaryOperator<String>> otherScripts) {
        this.otherScripts = otherScripts;
    }

    /**
     * @param text any text
     * @return the text folded to {@code [a-z0-9]*}, possibly empty
     */
    String sanitize(String text) {
        if (text.isEmpty()) {
            return "";
        }
        if (text.length() > MAX_INPUT_CODE_POINTS) {
            int end = text.offsetByCodePoints(0, Math.min(MAX_INPUT_CODE_POINTS, text.codePointCount(0, text.length())));
            text = text.substring(0, end);
        }
        String ascii = asciiLettersAndDigits(text);
        return ascii != null ? ascii : memo.computeIfAbsent(text, fold);
    }

    /**
     * The whole pipeline, without the ASCII short path and the memo.
     *
     * @param text at most {@value #MAX_INPUT_CODE_POINTS} code points
     * @return the text folded to {@code [a-z0-9]*}
     */
    String fold(String text) {
        String s = toLatinScript(Normalizer.normalize(text, Normalizer.Form.NFKC));
        s = Normalizer.normalize(s.toLowerCase(Locale.ROOT), Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> appendAscii(cp, out));
        return out.toString();
    }

    /**
     * The whole pipeline, for ASCII text, in one pass: normalization and transliteration change nothing there. Text
     * that is already folded (a lower-case username hint, say) is returned as it is.
     *
     * @param text any text
     * @return the text folded, or {@code null} when it is not all ASCII
     */
    static @Nullable String asciiLettersAndDigits(String text) {
        int n = text.length();
        byte[] out = null;
        int length = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            boolean folded = isFolded(c);
            if (out == null) {
                if (folded) {
                    continue;
                }
                out = new byte[n];
                for (; length < i; length++) {
                    out[length] = (byte) text.charAt(length);
                }
            }
            if (c >= 'A' && c <= 'Z') {
                out[length++] = (byte) (c + ('a' - 'A'));
            } else if (folded) {
                out[length++] = (byte) c;
            }
        }
        return out == null ? text : new String(out, 0, length, StandardCharsets.US_ASCII);
    }

    private static boolean isFolded(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static void appendAscii(int cp, StringBuilder out) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
            out.append((char) cp);
        } else if (Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER) {
            out.append((char) ('0' + Character.digit(cp, 10)));
        } else {
            String fold = LETTER_FOLDS.get(cp);
            if (fold != null) {
                out.append(fold);
            }
        }
    }

    private String toLatinScript(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            UnicodeScript script = UnicodeScript.of(cp);
            if (script == UnicodeScript.LATIN || script == UnicodeScript.COMMON || script == UnicodeScript.INHERITED
                    || Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER) {
                out.appendCodePoint(cp);
                i += Character.charCount(cp);
            } else if (script == UnicodeScript.CYRILLIC) {
                out.append(letter(CYRILLIC, cp));
                i += Character.charCount(cp);
            } else if (script == UnicodeScript.GREEK) {
                int end = i;
                while (end < s.length() && isGreekOrMark(s.codePointAt(end))) {
                    end += Character.charCount(s.codePointAt(end));
                }
                appendGreek(s.substring(i, end), out);
                i = end;
            } else {
                // a run of another script, with the spaces and marks inside it (ICU needs the context)
                int end = i;
                while (end < s.length() && !isLatinCyrillicOrGreek(s.codePointAt(end))) {
                    end += Character.charCount(s.codePointAt(end));
                }
                String run = s.substring(i, end);
                otherScripts.ifPresent(t -> out.append(t.apply(run)));
                i = end;
            }
        }
        return out.toString();
    }

    private static String letter(Map<Integer, String> table, int cp) {
        int lower = Character.toLowerCase(cp);
        String latin = table.get(lower);
        if (latin == null) {
            // a letter with a diacritic that has no entry of its own: romanize its base letter
            String base = Normalizer.normalize(Character.toString(lower), Normalizer.Form.NFD);
            latin = table.getOrDefault(base.codePointAt(0), "");
        }
        return latin;
    }

    private static void appendGreek(String run, StringBuilder out) {
        char[] base = new char[run.length()];
        boolean[] diaeresis = new boolean[run.length()];
        int n = 0;
        for (int i = 0; i < run.length(); i++) {
            String nfd = Normalizer.normalize(String.valueOf(run.charAt(i)), Normalizer.Form.NFD);
            char c = Character.toLowerCase(nfd.charAt(0));
            if (Character.getType(c) == Character.NON_SPACING_MARK) {
                if (c == COMBINING_DIAERESIS && n > 0) {
                    diaeresis[n - 1] = true;
                }
                continue;
            }
            base[n] = c;
            diaeresis[n] = nfd.indexOf(COMBINING_DIAERESIS) >= 0;
            n++;
        }
        for (int k = 0; k < n; k++) {
            char c = base[k];
            boolean digraphWithUpsilon = k + 1 < n && base[k + 1] == 'υ' && !diaeresis[k + 1];
            if (digraphWithUpsilon && (c == 'α' || c == 'ε' || c == 'η')) {
                boolean voiceless = k + 2 >= n || GREEK_VOICELESS.indexOf(base[k + 2]) >= 0;
                out.append(GREEK.get(c)).append(voiceless ? 'f' : 'v');
                k++;
            } else if (digraphWithUpsilon && c == 'ο') {
                out.append("ou");
                k++;
            } else if (c == 'γ' && k + 1 < n && (base[k + 1] == 'γ' || base[k + 1] == 'ξ' || base[k + 1] == 'χ')) {
                out.append('n');
            } else {
                out.append(GREEK.getOrDefault(c, ""));
            }
        }
    }

    private static boolean isGreekOrMark(int cp) {
        UnicodeScript script = UnicodeScript.of(cp);
        return script == UnicodeScript.GREEK || script == UnicodeScript.INHERITED;
    }

    private static boolean isLatinCyrillicOrGreek(int cp) {
        UnicodeScript script = UnicodeScript.of(cp);
        return script == UnicodeScript.LATIN || script == UnicodeScript.CYRILLIC || script == UnicodeScript.GREEK;
    }

    /** Initialized by the JVM on first use, once, thread-safely: the lazy holder of ICU's transliterator. */
    private static final class Icu {
        static final Optional<UnaryOperator<String>> ANY_LATIN = loadIcu();
    }

    /** ICU's {@code Any-Latin} of a run of another script, or nothing when ICU is absent or unusable. */
    private static String transliterateWithIcu(String run) {
        return Icu.ANY_LATIN.map(t -> t.apply(run)).orElse("");
    }

    private static Optional<UnaryOperator<String>> loadIcu() {
        try {
            Class.forName("com.ibm.icu.text.Transliterator", false, NameSanitizer.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.debug("ICU4J is not on the class path: names in scripts other than Latin, Cyrillic and Greek "
                    + "fall back to the username hint");
            return Optional.empty();
        }
        try {
            return Optional.of(new IcuTransliteration());
        } catch (RuntimeException | LinkageError e) {
            // ICU present but unusable, e.g. a jar stripped of its transliteration data
            LOG.warn("ICU4J is on the class path but its Any-Latin transliterator did not load ({}); names in "
                    + "scripts other than Latin, Cyrillic and Greek fall back to the username hint", e.toString());
            return Optional.empty();
        }
    }
}
