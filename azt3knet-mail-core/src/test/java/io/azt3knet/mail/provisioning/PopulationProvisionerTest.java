package io.azt3knet.mail.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.NamingExhaustedException;
import io.azt3knet.mail.ProviderTransportException;
import io.azt3knet.mail.naming.MailboxNamer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PopulationProvisionerTest {

    private static final String DOMAIN = "agents.example.org";

    /** Names agents by id; refuses agents whose first name is "exhausted". Enough to test provisioning. */
    private static final class IdNamer implements MailboxNamer {
        @Override
        public MailboxAddress name(AgentIdentity agent) {
            if (agent.firstName().equals("exhausted")) {
                throw new NamingExhaustedException("exhausted.x", "20241005123045", 1000);
            }
            return new MailboxAddress(agent.id(), DOMAIN);
        }

        @Override
        public void reserve(Collection<MailboxAddress> existing) {
        }
    }

    /** Counts calls and concurrency, and fails chosen addresses once. */
    private static final class Observed implements MailboxProvisioner {
        final InMemoryMailboxProvisioner delegate = InMemoryMailboxProvisioner.builder().build();
        final AtomicInteger lists = new AtomicInteger();
        final AtomicInteger creates = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final List<String> failOnce = java.util.Collections.synchronizedList(new ArrayList<>());
        /** Creates from this many on are refused with an exhausted quota. */
        volatile int quotaAfter = Integer.MAX_VALUE;

        @Override public String providerName() { return "observed"; }
        @Override public DomainRequirements prepareDomain(String d) { return delegate.prepareDomain(d); }
        @Override public Optional<DomainRequirements> domainRequirements(String d) { return delegate.domainRequirements(d); }
        @Override public DomainVerification verifyDomain(String d) { return delegate.verifyDomain(d); }
        @Override public Optional<Mailbox> findMailbox(MailboxAddress a) { return delegate.findMailbox(a); }
        @Override public MailboxDeletion deleteMailbox(MailboxAddress a) { return delegate.deleteMailbox(a); }
        @Override public Optional<java.net.URI> inboundUrl() { return delegate.inboundUrl(); }
        @Override public void refresh() { delegate.refresh(); }
        @Override public void close() { delegate.close(); }

        @Override
        public List<Mailbox> listMailboxes(String domain) {
            lists.incrementAndGet();
            return delegate.listMailboxes(domain);
        }

        @Override
        public MailboxCreation createMailbox(MailboxRequest request) {
            creates.incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(2);
                if (failOnce.remove(request.address().localPart())) {
                    throw new ProviderTransportException("observed", "POST /route", new java.io.IOException("reset"));
                }
                if (creates.get() > quotaAfter) {
                    throw new io.azt3knet.mail.QuotaExhaustedException("observed", "POST /route",
                            java.time.Instant.parse("2030-01-01T00:00:00Z"), "every request was answered 429");
                }
                if (request.address().localPart().equals("agent-bug")) {
                    throw new IllegalStateException("unexpected answer");
                }
                return delegate.createMailbox(request);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    private static List<AgentIdentity> agents(int n) {
        return IntStream.range(0, n).mapToObj(i -> new AgentIdentity("First" + i, "Last" + i, "", "agent-" + i)).toList();
    }

    @Test
    void provisionsEveryAgentWithBoundedConcurrencyAndReportsInInputOrder() {
        Observed provider = new Observed();
        List<Integer> seen = new ArrayList<>();
        ProvisioningReport report = new PopulationProvisioner(provider, 4)
                .provision(agents(50), new IdNamer(), DOMAIN, (o, done, total) -> seen.add(done));

        assertThat(report.outcomes()).hasSize(50).allMatch(o -> o.status() == AgentOutcome.Status.CREATED);
        assertThat(report.outcomes()).extracting(AgentOutcome::index).containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());
        assertThat(report.outcomes().get(7).address()).contains(new MailboxAddress("agent-7", DOMAIN));
        assertThat(report.outcomes().get(7).credentials().orElseThrow().displayName()).isEqualTo("First7 Last7");
        assertThat(seen).containsExactlyElementsOf(IntStream.rangeClosed(1, 50).boxed().toList());
        assertThat(provider.maxInFlight.get()).isBetween(2, 4);
        assertThat(provider.lists.get()).isEqualTo(1);
        assertThat(report.summary()).startsWith("50 agents in").endsWith("50 created, 0 already existed, 0 repaired, 0 failed");
    }

    @Test
    void anExhaustedQuotaStopsTheRunAndEveryAgentNotStartedIsReportedNotAttempted() {
        Observed provider = new Observed();
        provider.quotaAfter = 10;

        ProvisioningReport report = new PopulationProvisioner(provider, 1).provision(agents(40), new IdNamer(), DOMAIN,
                ProvisioningListener.NONE);

        assertThat(report.counts()).containsEntry(AgentOutcome.Status.CREATED, 10)
                .containsEntry(AgentOutcome.Status.FAILED, 1).containsEntry(AgentOutcome.Status.NOT_ATTEMPTED, 29);
        assertThat(provider.creates.get()).isEqualTo(11); // nothing tried after the quota ran out
        assertThat(report.outcomes().get(12)).isInstanceOfSatisfying(AgentOutcome.Failed.class, f -> {
            assertThat(f.attempted()).isFalse();
            assertThat(f.reason()).startsWith("quota exhausted until 2030-01-01T00:00:00Z (observed)");
        });
        assertThat(report.summary()).endsWith("1 failed, 29 not attempted");
    }

    @Test
    void aFailedAgentDoesNotStopTheOthersAndARerunRepairsOnlyWhatIsMissing() {
        Observed provider = new Observed();
        provider.failOnce.add("agent-3");
        List<AgentIdentity> population = new ArrayList<>(agents(10));
        population.set(5, new AgentIdentity("exhausted", "x", "", "agent-5"));

        ProvisioningReport first = new PopulationProvisioner(provider, 3).provision(population, new IdNamer(), DOMAIN,
                ProvisioningListener.NONE);

        assertThat(first.failures()).extracting(AgentOutcome::index).containsExactly(3, 5);
        assertThat(first.failures().get(0).reason()).contains("no answer from observed");
        assertThat(first.outcomes().get(3).address()).isPresent();
        assertThat(first.failures().get(1).reason()).startsWith("naming failed: all 1000 candidate addresses");
        assertThat(first.outcomes().get(5).address()).isEmpty();
        assertThat(first.allSucceeded()).isFalse();

        population.set(5, new AgentIdentity("Fixed", "Name", "", "agent-5"));
        ProvisioningReport second = new PopulationProvisioner(provider, 3).provision(population, new IdNamer(), DOMAIN,
                ProvisioningListener.NONE);

        assertThat(second.counts()).containsEntry(AgentOutcome.Status.CREATED, 2)
                .containsEntry(AgentOutcome.Status.ALREADY_EXISTED, 8)
                .containsEntry(AgentOutcome.Status.FAILED, 0);
        assertThat(provider.delegate.listMailboxes(DOMAIN)).hasSize(10);
    }

    @Test
    void anUnexpectedExceptionOrAFailingListenerCostsOneAgentNotTheRun() {
        Observed provider = new Observed();
        List<AgentIdentity> population = new ArrayList<>(agents(6));
        population.set(2, new AgentIdentity("Bug", "Gy", "", "agent-bug"));

        ProvisioningReport report = new PopulationProvisioner(provider, 2).provision(population, new IdNamer(), DOMAIN,
                (o, done, total) -> {
                    throw new IllegalStateException("listener broke");
                });

        assertThat(report.outcomes()).hasSize(6);
        assertThat(report.failures()).extracting(AgentOutcome::index).containsExactly(2);
        assertThat(report.failures().get(0).reason()).isEqualTo("unexpected IllegalStateException: unexpected answer");
        assertThat(report.counts()).containsEntry(AgentOutcome.Status.CREATED, 5);
    }

    @Test
    void controlCharactersInNamesNeverReachTheDisplayName() {
        Observed provider = new Observed();
        ProvisioningReport report = new PopulationProvisioner(provider, 1).provision(
                List.of(new AgentIdentity("Eve\r\nBcc: x@evil.example", "Doe", "", "agent-0")), new IdNamer(), DOMAIN,
                ProvisioningListener.NONE);
        assertThat(report.outcomes().get(0).credentials().orElseThrow().displayName())
                .doesNotContain("\r").doesNotContain("\n").startsWith("Eve");
    }
}
