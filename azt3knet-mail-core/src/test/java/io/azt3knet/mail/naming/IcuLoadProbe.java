package io.azt3knet.mail.naming;

import io.azt3knet.mail.AgentIdentity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Run in a fresh JVM by {@link IcuOnlyWhenNeededTest}: names Latin, Cyrillic and Greek agents, then a Chinese one. */
public final class IcuLoadProbe {

    private IcuLoadProbe() {
    }

    /** @param args none */
    public static void main(String[] args) {
        MailboxNamer namer = MailboxNamer.standard().domain("agents.example.org").seed(42)
                .clock(Clock.fixed(Instant.parse("2024-10-05T12:30:45Z"), ZoneOffset.UTC)).build();
        System.out.println("PROBE latin: " + namer.name(AgentIdentity.of("Jane", "Doe")) + " "
                + namer.name(AgentIdentity.of("Zoë", "Ørsted-Müller")));
        System.out.println("PROBE cyrillic and greek: " + namer.name(AgentIdentity.of("Юлия", "Жукова")) + " "
                + namer.name(AgentIdentity.of("Γιώργος", "Παπαδόπουλος")));
        System.out.println("PROBE now chinese");
        System.out.println("PROBE chinese: " + namer.name(AgentIdentity.of("伟", "王")));
    }
}
