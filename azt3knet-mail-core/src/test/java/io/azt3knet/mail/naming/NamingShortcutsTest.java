package io.azt3knet.mail.naming;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.AgentIdentity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The namer's shortcuts (the ASCII short path, the memo of folded names, the digits computed without building
 * their key) give exactly what the specified functions give: they change speed, never an address.
 */
class NamingShortcutsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-10-05T12:30:45Z"), ZoneOffset.UTC);

    @Test
    void theDigitsOfEveryPositionAreTheSpecifiedFunction() {
        for (long seed : new long[] {42, 0, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
            StandardMailboxNamer namer = StandardMailboxNamer.builder().domain("agents.example.org").seed(seed)
                    .clock(CLOCK).build();
            for (int position = 0; position < 2_500; position++) {
                // a distinct name per agent: no collision, so the address shows the agent's own digits
                String local = namer.name(AgentIdentity.of("agent" + position, "doe")).localPart();
                assertThat(digitsOf(local)).as("seed %d position %d", seed, position)
                        .isEqualTo(StandardMailboxNamer.digits(seed, "position:" + position));
            }
        }
    }

    @Test
    void theDigitsOfEveryIdAreTheSpecifiedFunction() {
        String[] shapes = {"agent-", "ä", "王伟", "\uD83D\uDE00", "\uD800", " x ", "id:"};
        StandardMailboxNamer namer = StandardMailboxNamer.builder().domain("agents.example.org").seed(-42)
                .clock(CLOCK).build();
        for (int i = 0; i < 2_000; i++) {
            String id = shapes[i % shapes.length] + i;
            String local = namer.name(new AgentIdentity("agent" + i, "doe", "", id)).localPart();
            assertThat(digitsOf(local)).as(id).isEqualTo(StandardMailboxNamer.digits(-42, "id:" + id));
        }
    }

    @Test
    void theAsciiShortPathGivesWhatTheWholePipelineGives() {
        NameSanitizer sanitizer = new NameSanitizer(Optional.empty());
        SplittableRandom random = new SplittableRandom(11);
        for (int n = 0; n < 20_000; n++) {
            char[] text = new char[random.nextInt(0, 24)];
            for (int i = 0; i < text.length; i++) {
                text[i] = (char) random.nextInt(0, 128);
            }
            String s = new String(text);
            assertThat(NameSanitizer.asciiLettersAndDigits(s)).as("%s", s.chars().boxed().toList())
                    .isEqualTo(sanitizer.fold(s));
        }
        assertThat(NameSanitizer.asciiLettersAndDigits("O'Brien-Smith 3rd")).isEqualTo("obriensmith3rd");
    }

    /** More distinct names than the memo has slots, each asked for several times in a shuffled order. */
    @Test
    void aMemoizedFoldIsTheFoldEvenWhenNamesShareASlotAndEvictEachOther() {
        NameSanitizer sanitizer = new NameSanitizer(Optional.of(new IcuTransliteration()));
        String[] letters = {"é", "ß", "Ø", "ж", "Щ", "ю", "Γ", "ευ", "王", "伟", "た", "민", "A", "b", " ", "-", "Ⅻ", "１"};
        SplittableRandom random = new SplittableRandom(5);
        List<String> names = new ArrayList<>();
        for (int n = 0; n < 3 * FoldedNames.SLOTS; n++) {
            StringBuilder name = new StringBuilder();
            for (int i = random.nextInt(1, 7); i > 0; i--) {
                name.append(letters[random.nextInt(letters.length)]);
            }
            names.add(name.toString());
        }
        for (int round = 0; round < 3 * names.size(); round++) {
            String name = names.get(random.nextInt(names.size()));
            assertThat(sanitizer.sanitize(name)).as(name).isEqualTo(sanitizer.fold(name));
        }
    }

    private static int digitsOf(String localPart) {
        String[] atoms = localPart.split("\\.");
        return Integer.parseInt(atoms[atoms.length - 2]);
    }
}
