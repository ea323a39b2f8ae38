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
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** The namer on arbitrary Unicode: a valid address or the documented error, deterministic, unique. */
class NamerPropertiesTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-10-05T12:30:45Z"), ZoneOffset.UTC);

    private static StandardMailboxNamer namer(long seed) {
        return StandardMailboxNamer.builder().domain("agents.example.org").seed(seed).clock(CLOCK).build();
    }

    @Property(tries = 10_000)
    void anyNameGivesAValidAddressAndTheSameOneEveryTime(@ForAll @StringLength(max = 24) String first,
            @ForAll @StringLength(max = 24) String last, @ForAll @StringLength(max = 12) String hint,
            @ForAll long seed) {
        AgentIdentity agent = new AgentIdentity(first, last, hint, "");

        MailboxAddress a = namer(seed).name(agent);
        MailboxAddress b = namer(seed).name(agent);

        assertThat(a).isEqualTo(b);
        assertThat(MailboxAddress.parse(a.value())).isEqualTo(a);
        assertThat(a.localPart()).matches("[a-z0-9]+\\.[a-z0-9]+\\.[0-9]{3}\\.20241005123045").hasSizeLessThanOrEqualTo(64);
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
