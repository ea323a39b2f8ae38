package io.azt3knet.mail.naming;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.dns.DesiredDns;
import io.azt3knet.mail.dns.DnsPlan;
import io.azt3knet.mail.dns.DnsPlanner;
import io.azt3knet.mail.dns.DnsRecordSet;
import io.azt3knet.mail.dns.MailDnsOptions;
import io.azt3knet.mail.provisioning.DomainRequirements;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a project that reuses only the naming and the DNS plan helpers does. {@link LeanClasspathTest} runs it in a
 * class loader that holds core, ICU4J, SLF4J API and JSpecify only, as the README's exclusions leave them.
 */
public final class LeanUsage implements Supplier<String> {

    /** Called reflectively, from the isolated class loader. */
    public LeanUsage() {
    }

    @Override
    public String get() {
        MailboxNamer namer = MailboxNamer.standard().domain("agents.example.org").seed(42)
                .clock(Clock.fixed(Instant.parse("2024-10-05T12:30:45Z"), ZoneOffset.UTC)).build();
        StringBuilder out = new StringBuilder();
        for (AgentIdentity agent : List.of(AgentIdentity.of("Zoë", "Müller"), AgentIdentity.of("Анна", "Иванова"),
                AgentIdentity.of("伟", "王"))) {
            out.append(namer.name(agent).value()).append('\n');
        }
        DomainRequirements requirements = new DomainRequirements("agents.example.org", List.of("parse.mailjet.com"),
                "include:spf.mailjet.com", new DomainRequirements.TxtRecord("mailjet._domainkey", "k=rsa; p=MIGf"),
                Optional.empty());
        DnsPlan plan = DnsPlanner.plan(DesiredDns.forMail(requirements, MailDnsOptions.defaults()),
                List.of(DnsRecordSet.of("", "TXT", 3600, "v=spf1 include:_spf.google.com ~all")), 3600);
        return out.append(plan.render()).toString();
    }
}
