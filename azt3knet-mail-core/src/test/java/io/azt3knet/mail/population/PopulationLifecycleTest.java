package io.azt3knet.mail.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.provisioning.DomainRequirements;
import io.azt3knet.mail.provisioning.DomainVerification;
import io.azt3knet.mail.provisioning.InMemoryMailboxProvisioner;
import io.azt3knet.mail.provisioning.Mailbox;
import io.azt3knet.mail.provisioning.MailboxCreation;
import io.azt3knet.mail.provisioning.MailboxDeletion;
import io.azt3knet.mail.provisioning.MailboxProvisioner;
import io.azt3knet.mail.provisioning.MailboxRequest;
import io.azt3knet.mail.provisioning.ProvisioningListener;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crashes in the middle of lifecycle operations, on the in-memory provider: re-running finishes the job. */
class PopulationLifecycleTest {

    private static final String DOMAIN = "agents.example.org";

    @TempDir
    Path dir;

    /** The in-memory provider, except that the process "dies" (an Error) at the n-th delete. */
    private static final class CrashingProvisioner implements MailboxProvisioner {
        final InMemoryMailboxProvisioner delegate = InMemoryMailboxProvisioner.builder().build();
        final AtomicInteger deletes = new AtomicInteger();
        volatile int crashAtDelete = Integer.MAX_VALUE;

        @Override public String providerName() { return "crashing"; }
        @Override public DomainRequirements prepareDomain(String d) { return delegate.prepareDomain(d); }
        @Override public Optional<DomainRequirements> domainRequirements(String d) { return delegate.domainRequirements(d); }
        @Override public DomainVerification verifyDomain(String d) { return delegate.verifyDomain(d); }
        @Override public MailboxCreation createMailbox(MailboxRequest r) { return delegate.createMailbox(r); }
        @Override public Optional<Mailbox> findMailbox(MailboxAddress a) { return delegate.findMailbox(a); }
        @Override public List<Mailbox> listMailboxes(String d) { return delegate.listMailboxes(d); }
        @Override public Optional<URI> inboundUrl() { return delegate.inboundUrl(); }
        @Override public void refresh() { delegate.refresh(); }
        @Override public void close() { delegate.close(); }

        @Override
        public MailboxDeletion deleteMailbox(MailboxAddress a) {
            if (deletes.incrementAndGet() >= crashAtDelete) {
                throw new OutOfMemoryError("simulated crash at delete " + deletes.get());
            }
            return delegate.deleteMailbox(a);
        }
    }

    private static List<AgentIdentity> agents(int n) {
        List<AgentIdentity> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(new AgentIdentity("Agent", "N" + i, "", "agent-" + i));
        }
        return out;
    }

    @Test
    void aRetireThatCrashesMidwayIsFinishedByARerunAndNothingElseIsTouched() {
        CrashingProvisioner provider = new CrashingProvisioner();
        PopulationLifecycle lifecycle = new PopulationLifecycle(provider, DOMAIN, 1, Clock.systemUTC());
        PopulationManifest manifest = lifecycle.extend(PopulationManifest.builder(DOMAIN, 7,
                Instant.parse("2024-10-05T12:30:45Z")).build(), agents(10));
        ManifestFile file = ManifestFile.create(dir.resolve("population.json"), manifest);
        lifecycle.apply(file, ProvisioningListener.NONE);
        MailboxAddress stranger = new MailboxAddress("not.ours.001.20241005123045", DOMAIN);
        provider.createMailbox(MailboxRequest.of(stranger));
        List<String> retiring = List.of("agent-2", "agent-4", "agent-6", "agent-8", "agent-10");
        provider.crashAtDelete = 3;

        assertThatThrownBy(() -> lifecycle.retire(file, retiring, false)).hasRootCauseInstanceOf(OutOfMemoryError.class);

        PopulationManifest afterCrash = PopulationManifest.read(file.path()); // what a restarted process reads
        assertThat(afterCrash.agents(ManifestAgent.State.RETIRED)).extracting(ManifestAgent::id)
                .as("marked before any delete").containsExactlyElementsOf(retiring);
        assertThat(provider.listMailboxes(DOMAIN)).hasSizeGreaterThan(6); // some retired mailboxes still exist

        provider.crashAtDelete = Integer.MAX_VALUE;
        RetirementReport rerun = new PopulationLifecycle(provider, DOMAIN, 4, Clock.systemUTC())
                .retire(ManifestFile.open(file.path()), retiring, false);

        assertThat(rerun.allSucceeded()).isTrue();
        assertThat(rerun.counts().get(RetireOutcome.Status.RETIRED)).as("the mailboxes left over").isEqualTo(3);
        assertThat(rerun.counts().get(RetireOutcome.Status.ALREADY_RETIRED)).isEqualTo(2);
        Set<String> left = provider.listMailboxes(DOMAIN).stream().map(m -> m.address().value())
                .collect(Collectors.toSet());
        Set<String> kept = afterCrash.agents(ManifestAgent.State.ACTIVE).stream().map(a -> a.address().value())
                .collect(Collectors.toSet());
        kept.add(stranger.value());
        assertThat(left).isEqualTo(kept);
        assertThat(PopulationManifest.read(file.path()).agents(ManifestAgent.State.ACTIVE)).hasSize(5);
    }

    @Test
    void anApplyThatCrashesMidwayLeavesEveryCreatedMailboxInTheManifestAndARerunCompletesIt() {
        InMemoryMailboxProvisioner provider = InMemoryMailboxProvisioner.builder().build();
        PopulationLifecycle lifecycle = new PopulationLifecycle(provider, DOMAIN, 1, Clock.systemUTC());
        ManifestFile file = ManifestFile.create(dir.resolve("population.json"), lifecycle.extend(
                PopulationManifest.builder(DOMAIN, 7, Instant.parse("2024-10-05T12:30:45Z")).build(), agents(8)));
        AtomicInteger seen = new AtomicInteger();

        assertThatThrownBy(() -> lifecycle.apply(file, (o, done, total) -> {
            if (seen.incrementAndGet() == 4) {
                throw new OutOfMemoryError("simulated crash after 4 agents");
            }
        })).isInstanceOf(Throwable.class);

        PopulationManifest afterCrash = PopulationManifest.read(file.path());
        Set<String> recorded = afterCrash.agents().stream().map(a -> a.address().value()).collect(Collectors.toSet());
        assertThat(provider.listMailboxes(DOMAIN)).isNotEmpty()
                .allSatisfy(m -> assertThat(recorded).as("no mailbox the manifest does not know").contains(m.address().value()));
        assertThat(lifecycle.plan(afterCrash).counts().get(PopulationPlan.Action.REPAIR)).isZero();

        lifecycle.apply(ManifestFile.open(file.path()), ProvisioningListener.NONE);

        assertThat(provider.listMailboxes(DOMAIN)).hasSize(8);
        assertThat(PopulationManifest.read(file.path()).agents()).allMatch(a -> a.state() == ManifestAgent.State.ACTIVE);
    }
}
