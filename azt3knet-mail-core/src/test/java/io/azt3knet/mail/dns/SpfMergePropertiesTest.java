package io.azt3knet.mail.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The SPF merge: idempotent, never two SPF records, every other record and term kept. */
class SpfMergePropertiesTest {

    private static final List<String> MECHANISMS = List.of("include:spf.mailjet.com");

    @Provide
    Arbitrary<List<String>> apexTxt() {
        Arbitrary<String> term = Arbitraries.oneOf(
                Arbitraries.of("mx", "a", "+mx", "MX", "ptr", "include:spf.mailjet.com", "INCLUDE:SPF.MAILJET.COM",
                        "include:_spf.google.com", "exists:%{i}.example.org", "exp=explain.example.org"),
                Arbitraries.integers().between(0, 255).map(i -> "ip4:192.0.2." + i),
                Arbitraries.strings().withChars("abcdefghij").ofMinLength(1).ofMaxLength(8).map(s -> "include:" + s + ".example"));
        Arbitrary<String> terminal = Arbitraries.of("", "-all", "~all", "?all", "+all", "all", "redirect=_spf.example.net");
        Arbitrary<String> spf = Combinators.combine(Arbitraries.of("v=spf1", "V=SPF1"), term.list().ofMaxSize(6), terminal)
                .as((v, terms, end) -> (v + " " + String.join(" ", terms) + " " + end).strip());
        Arbitrary<String> other = Arbitraries.strings().ofMinLength(1).ofMaxLength(40)
                .filter(s -> !DnsPlanner.isSpf(s));
        return Arbitraries.oneOf(spf, other, other).list().ofMaxSize(5);
    }

    @Property(tries = 10_000)
    void mergingIsIdempotentAndLeavesExactlyOneSpfRecordWithEveryOtherRecordAndTerm(@ForAll("apexTxt") List<String> records,
            @ForAll("allTerm") String defaultAll) {
        List<String> once = DnsPlanner.mergeSpf(records, MECHANISMS, defaultAll);
        List<String> twice = DnsPlanner.mergeSpf(once, MECHANISMS, defaultAll);

        assertThat(twice).isEqualTo(once);
        assertThat(once.stream().filter(DnsPlanner::isSpf)).hasSize(1);
        List<String> others = records.stream().filter(r -> !DnsPlanner.isSpf(r)).toList();
        assertThat(once.stream().filter(r -> !DnsPlanner.isSpf(r)).toList()).isEqualTo(others);
        String merged = once.stream().filter(DnsPlanner::isSpf).findFirst().orElseThrow().toLowerCase(Locale.ROOT);
        List<String> mergedTerms = normalized(merged);
        assertThat(mergedTerms).contains("include:spf.mailjet.com");
        for (String r : records) {
            if (DnsPlanner.isSpf(r)) {
                for (String t : normalized(r.toLowerCase(Locale.ROOT))) {
                    boolean terminal = t.matches("[-~?]?all") || t.startsWith("redirect=");
                    if (!terminal) {
                        assertThat(mergedTerms).as(r).contains(t);
                    }
                }
            }
        }
    }

    @Provide
    Arbitrary<String> allTerm() {
        return Arbitraries.of("-all", "~all", "?all");
    }

    private static List<String> normalized(String spf) {
        List<String> out = new ArrayList<>();
        String[] parts = spf.strip().split("\\s+");
        for (int i = 1; i < parts.length; i++) {
            out.add(parts[i].startsWith("+") ? parts[i].substring(1) : parts[i]);
        }
        return out;
    }
}
