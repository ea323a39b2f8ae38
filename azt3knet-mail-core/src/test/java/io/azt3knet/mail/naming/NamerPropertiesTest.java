package io.azt3knet.mail.naming;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.NamingExhaustedException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/** The namer on arbitrary Unicode: a valid address or the documented error, deterministic, unique. */
class NamerPropertiesTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-10-05T12:30:45Z"), ZoneOffset.UTC);

    private static StandardMailboxNamer namer(long seed) {
        return StandardMailboxNamer.builder().domain("agents.example.org").seed(seed).clock(CLOCK).build();
    }

    @Property(tries = 10_000)
    void anyNameGivesAValidAddressAndTheSameOneEveryTime(@ForAll("names") String first, @ForAll("names") String last,
            @ForAll("names") String hint, @ForAll long seed) {
        AgentIdentity agent = new AgentIdentity(first, last, hint, "");

        MailboxAddress a = namer(seed).name(agent);
        MailboxAddress b = namer(seed).name(agent);

        assertThat(a).isEqualTo(b);
        assertThat(MailboxAddress.parse(a.value())).isEqualTo(a);
        assertThat(a.localPart()).matches("[a-z0-9]+\\.[a-z0-9]+\\.[0-9]{3}\\.20241005123045").hasSizeLessThanOrEqualTo(64);
    }

    /**
     * Arbitrary Unicode, shaped like names: up to three runs of up to six code points, each run drawn from one
     * region of the code space. Any code point can occur (one run in ten is a window anywhere in U+0000 to
     * U+10FFFF: unassigned, private use, supplementary planes, lone surrogates), and so can controls, format
     * characters, combining marks and every script's neighbours. Runs, rather than independent code points, keep
     * the cost per try to a few transliterations: independent code points (jqwik's default) made ICU look up a
     * transliterator for almost every character (47 s for this property against 17 s with runs, measured back to
     * back at a load average of 15).
     */
    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> run = Arbitraries.frequencyOf(
                Tuple.of(25, region(0x20, 0x7E)),          // ASCII: letters, digits, punctuation, @, /
                Tuple.of(4, region(0x00, 0x1F)),           // C0 controls, CR and LF among them
                Tuple.of(2, region(0x7F, 0x9F)),           // DEL and C1 controls
                Tuple.of(15, region(0xA0, 0x24F)),         // Latin-1 and Latin Extended
                Tuple.of(4, region(0x300, 0x36F)),         // combining marks
                Tuple.of(12, region(0x370, 0x52F)),        // Greek and Cyrillic
                Tuple.of(4, region(0x590, 0x6FF)),         // Hebrew and Arabic
                Tuple.of(4, region(0x900, 0xDFF)),         // Indic scripts
                Tuple.of(4, region(0x2000, 0x206F)),       // spaces, zero-width and bidirectional controls
                Tuple.of(4, region(0x4E00, 0x9FFF)),       // CJK ideographs
                Tuple.of(3, region(0xAC00, 0xD7A3)),       // Hangul syllables
                Tuple.of(2, region(0xD800, 0xDFFF)),       // lone surrogates
                Tuple.of(2, region(0xFF00, 0xFFEF)),       // full-width and half-width forms
                Tuple.of(10, anywhere()));                 // a window anywhere in the code space
        return run.list().ofMaxSize(3).map(runs -> String.join("", runs));
    }

    private static Arbitrary<String> region(int from, int to) {
        return Arbitraries.integers().between(from, to).list().ofMinSize(1).ofMaxSize(6).map(NamerPropertiesTest::text);
    }

    private static Arbitrary<String> anywhere() {
        return Arbitraries.integers().between(0, Character.MAX_CODE_POINT - 63)
                .flatMap(start -> region(start, start + 63));
    }

    private static String text(List<Integer> codePoints) {
        StringBuilder s = new StringBuilder();
        codePoints.forEach(s::appendCodePoint);
        return s.toString();
    }

    @Provide
    Arbitrary<String> fewNames() {
        // few distinct names, some of them folding to the same ASCII, so that collisions are frequent
        return Arbitraries.of("Jane", "JANE", "Jäne", "Жанна", "Zhang Wei", "", " ", "O'Brien", "o brien", "\u0000\n");
    }

    @Property(tries = 10_000)
    void addressesAreUniqueWithinAPopulation(@ForAll @Size(max = 12) List<@net.jqwik.api.From("fewNames") String> firsts,
            @ForAll long seed) {
        StandardMailboxNamer namer = namer(seed);
        Set<MailboxAddress> seen = new HashSet<>();
        for (String first : firsts) {
            try {
                assertThat(seen.add(namer.name(AgentIdentity.of(first, "Doe")))).isTrue();
            } catch (NamingExhaustedException documented) {
                assertThat(seen).hasSizeGreaterThanOrEqualTo(CandidateCycle.SIZE); // only after 1,000 of one name
            }
        }
    }
}
