package io.azt3knet.mail.naming;

import com.ibm.icu.text.Transliterator;
import java.util.function.UnaryOperator;

/**
 * ICU's {@code Any-Latin} transliteration. The only class that touches ICU4J (a dependency of core that an
 * application could still exclude): {@link NameSanitizer} instantiates it only after finding ICU on the class path.
 */
final class IcuTransliteration implements UnaryOperator<String> {

    // ICU documents transliterators as stateless and safe to share between threads.
    private final Transliterator anyToLatin = Transliterator.getInstance("Any-Latin");

    @Override
    public String apply(String text) {
        return anyToLatin.transliterate(text);
    }
}
