package io.azt3knet.mail.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.ManifestException;
import io.azt3knet.mail.config.ProvisioningSettings;
import io.azt3knet.mail.population.ManifestAgent;
import io.azt3knet.mail.population.ManifestFile;
import io.azt3knet.mail.population.PopulationManifest;
import io.azt3knet.mail.population.PopulationPlan;
import io.azt3knet.mail.population.RetireOutcome;
import io.azt3knet.mail.population.RetirementReport;
import io.azt3knet.mail.provisioning.AgentOutcome;
import io.azt3knet.mail.provisioning.DomainRequirements;
import io.azt3knet.mail.provisioning.DomainVerification;
import io.azt3knet.mail.provisioning.Mailbox;
import io.azt3knet.mail.provisioning.MailboxCreation;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.MailboxDeletion;
import io.azt3knet.mail.provisioning.MailboxProvisioner;
import io.azt3knet.mail.provisioning.MailboxRequest;
import io.azt3knet.mail.provisioning.ProvisioningListener;
import io.azt3knet.mail.provisioning.ProvisioningReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link MailboxProvisioner} must show, in the style of Micrometer's compatibility kit:
 * a provider module extends this class, returns its provisioner (on WireMock, on an empty account) from
 * {@link #createProvisioner()}, and inherits every test.
 *
 * <pre>{@code
 * class MailjetProvisionerContractTest extends MailboxProvisionerContractTest {
 *     protected MailboxProvisioner createProvisioner() { return MailjetProvisioner.builder(mailjetSettings).build(); }
 * }
 * }</pre>
 */
public abstract class MailboxProvisionerContractTest {

    /** Threads racing to create the same address; small, the machine has few cores. */
    private static final int RACERS = 6;

    /** The provisioner under test, fresh for every test. */
    protected MailboxProvisioner provisioner;

    /**
     * @return a new provisioner over an account that holds no mailbox yet; closed after each test
     */
    protected abstract MailboxProvisioner createProvisioner();

    /** @return the domain the tests create mailboxes in; override to match the fake provider */
    protected String domain() {
        return "agents.example.org";
    }

    /** @return a second domain, for tests that check listings stay within their domain */
    protected String otherDomain() {
        return "other.example.net";
    }

    @BeforeEach
    public void openProvisioner() {
        provisioner = createProvisioner();
    }

    @AfterEach
    public void closeProvisioner() {
        provisioner.close();
    }

    /**
     * @param localPart the local part
     * @return an address in {@link #domain()}
     */
    protected MailboxAddress address(String localPart) {
        return new MailboxAddress(localPart, domain());
    }

    @Test
    public void namesItsProvider() {
        assertThat(provisioner.providerName()).isNotBlank();
    }

    @Test
    public void createReturnsCredentialsForTheRequestedAddressAndDisplayName() {
        MailboxAddress jane = address("jane.doe.123.20241005123045");

        MailboxCreation creation = provisioner.createMailbox(new MailboxRequest(jane, "Jane Doe"));

        assertThat(creation.outcome()).isEqualTo(MailboxCreation.Outcome.CREATED);
        assertThat(creation.created()).isTrue();
        MailboxCredentials c = creation.credentials();
        assertThat(c.address()).isEqualTo(jane);
        assertThat(c.displayName()).isEqualTo("Jane Doe");
        assertThat(c.smtpHost()).isNotBlank();
        assertThat(c.smtpUsername()).isNotBlank();
        assertThat(c.smtpPassword().reveal()).isNotBlank();
        assertThat(c.routeId()).isNotBlank();
        assertThat(c.routeUrl().isAbsolute()).isTrue();
    }

    @Test
    public void createWithoutDisplayNameGivesAnEmptyDisplayName() {
        MailboxCreation creation = provisioner.createMailbox(MailboxRequest.of(address("anon.agent.001.20241005123045")));

        assertThat(creation.credentials().displayName()).isEmpty();
    }

    @Test
    public void secondCreateOfTheSameAddressReportsAlreadyExistedAndKeepsOneMailbox() {
        MailboxAddress jane = address("jane.doe.123.20241005123045");
        MailboxCreation first = provisioner.createMailbox(new MailboxRequest(jane, "Jane Doe"));

        MailboxCreation second = provisioner.createMailbox(new MailboxRequest(jane, "Jane Doe"));

        assertThat(second.outcome()).isEqualTo(MailboxCreation.Outcome.ALREADY_EXISTED);
        assertThat(second.credentials().routeId()).isEqualTo(first.credentials().routeId());
        assertThat(second.credentials().address()).isEqualTo(jane);
        assertThat(provisioner.listMailboxes(domain())).hasSize(1);
    }

    @Test
    public void addressesDifferingOnlyInCaseAreOneMailbox() {
        provisioner.createMailbox(MailboxRequest.of(address("jane.doe.123.20241005123045")));

        MailboxCreation upper = provisioner.createMailbox(MailboxRequest.of(address("Jane.Doe.123.20241005123045")));

        assertThat(upper.outcome()).isEqualTo(MailboxCreation.Outcome.ALREADY_EXISTED);
        assertThat(provisioner.listMailboxes(domain())).hasSize(1);
    }

    @Test
    public void findReturnsTheCreatedMailbox() {
        MailboxAddress jane = address("jane.doe.123.20241005123045");
        MailboxCredentials c = provisioner.createMailbox(MailboxRequest.of(jane)).credentials();

        assertThat(provisioner.findMailbox(jane)).hasValueSatisfying(m -> {
            assertThat(m.address()).isEqualTo(jane);
            assertThat(m.routeId()).isEqualTo(c.routeId());
            assertThat(m.routeUrl()).isEqualTo(c.routeUrl());
        });
    }

    @Test
    public void findOfAnUnknownAddressIsEmpty() {
        assertThat(provisioner.findMailbox(address("nobody.here.000.20241005123045"))).isEmpty();
    }

    @Test
    public void listHoldsEveryMailboxOfTheDomainAndNoOther() {
        List<MailboxAddress> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            MailboxAddress a = address("agent.number" + i + ".00" + i + ".20241005123045");
            provisioner.createMailbox(MailboxRequest.of(a));
            created.add(a);
        }
        provisioner.createMailbox(MailboxRequest.of(new MailboxAddress("elsewhere", otherDomain())));

        assertThat(provisioner.listMailboxes(domain())).extracting(Mailbox::address)
                .containsExactlyInAnyOrderElementsOf(created);
        assertThat(provisioner.listMailboxes(otherDomain())).extracting(Mailbox::address)
                .containsExactly(new MailboxAddress("elsewhere", otherDomain()));
    }

    @Test
    public void deletedMailboxIsGoneAndCanBeCreatedAgain() {
        MailboxAddress jane = address("jane.doe.123.20241005123045");
        provisioner.createMailbox(MailboxRequest.of(jane));

        MailboxDeletion deletion = provisioner.deleteMailbox(jane);

        assertThat(deletion.outcome()).isEqualTo(MailboxDeletion.Outcome.DELETED);
        assertThat(deletion.deleted()).isTrue();
        assertThat(deletion.address()).isEqualTo(jane);
        assertThat(provisioner.findMailbox(jane)).isEmpty();
        assertThat(provisioner.listMailboxes(domain())).isEmpty();
        assertThat(provisioner.createMailbox(MailboxRequest.of(jane)).outcome())
                .isEqualTo(MailboxCreation.Outcome.CREATED);
        assertThat(provisioner.listMailboxes(domain())).hasSize(1);
    }

    @Test
    public void deletingAnUnknownAddressIsANoOpReportedAbsent() {
        MailboxAddress nobody = address("nobody.here.000.20241005123045");

        MailboxDeletion deletion = provisioner.deleteMailbox(nobody);

        assertThat(deletion.outcome()).isEqualTo(MailboxDeletion.Outcome.ABSENT);
        assertThat(deletion.deleted()).isFalse();
        assertThat(deletion.address()).isEqualTo(nobody);
    }

    @Test
    public void deletingTwiceReportsAbsentTheSecondTimeAlsoAfterARefresh() {
        MailboxAddress jane = address("jane.doe.123.20241005123045");
        provisioner.createMailbox(MailboxRequest.of(jane));
        provisioner.refresh();

        assertThat(provisioner.deleteMailbox(jane).outcome()).isEqualTo(MailboxDeletion.Outcome.DELETED);
        assertThat(provisioner.deleteMailbox(jane).outcome()).isEqualTo(MailboxDeletion.Outcome.ABSENT);
        provisioner.refresh();
        assertThat(provisioner.deleteMailbox(jane).outcome()).isEqualTo(MailboxDeletion.Outcome.ABSENT);
        assertThat(provisioner.findMailbox(jane)).isEmpty();
    }

    @Test
    public void deletingOneMailboxLeavesTheOthersAlone() {
        MailboxAddress jane = address("jane.doe.123.20241005123045");
        MailboxAddress john = address("john.roe.456.20241005123045");
        provisioner.createMailbox(MailboxRequest.of(jane));
        MailboxCredentials johns = provisioner.createMailbox(MailboxRequest.of(john)).credentials();

        provisioner.deleteMailbox(jane);
        provisioner.refresh();

        assertThat(provisioner.listMailboxes(domain())).singleElement().satisfies(m -> {
            assertThat(m.address()).isEqualTo(john);
            assertThat(m.routeId()).isEqualTo(johns.routeId());
        });
    }

    @Test
    public void listedMailboxesCarryTheRouteUrlTheyPointAtWhichIsTheInboundUrl() {
        MailboxAddress jane = address("jane.doe.123.20241005123045");
        MailboxCredentials c = provisioner.createMailbox(MailboxRequest.of(jane)).credentials();
        provisioner.refresh();

        List<Mailbox> listed = provisioner.listMailboxes(domain());

        assertThat(provisioner.inboundUrl()).hasValueSatisfying(url -> {
            assertThat(url.getRawUserInfo()).as("no credentials").isNull();
            assertThat(listed).singleElement().satisfies(m -> {
                assertThat(m.routeUrl()).isEqualTo(url).isEqualTo(c.routeUrl());
                assertThat(m.routeId()).isEqualTo(c.routeId());
            });
        });
    }

    @Test
    public void concurrentCreatesOfTheSameAddressProduceOneMailbox() throws Exception {
        MailboxAddress jane = address("jane.doe.123.20241005123045");

        List<MailboxCreation> results = race(RACERS, () -> provisioner.createMailbox(MailboxRequest.of(jane)));

        assertThat(results).filteredOn(MailboxCreation::created).hasSize(1);
        assertThat(results).extracting(r -> r.credentials().routeId()).containsOnly(results.get(0).credentials().routeId());
        assertThat(provisioner.listMailboxes(domain())).hasSize(1);
    }

    @Test
    public void concurrentCreatesOfDifferentAddressesCreateEachOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try {
            List<Future<MailboxCreation>> futures = new ArrayList<>();
            for (int i = 0; i < 3 * RACERS; i++) {
                MailboxAddress a = address("agent.n" + (i % RACERS) + ".00" + (i % RACERS) + ".20241005123045");
                futures.add(pool.submit(() -> provisioner.createMailbox(MailboxRequest.of(a))));
            }
            int created = 0;
            for (Future<MailboxCreation> f : futures) {
                created += f.get(30, TimeUnit.SECONDS).created() ? 1 : 0;
            }
            assertThat(created).isEqualTo(RACERS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(provisioner.listMailboxes(domain())).hasSize(RACERS);
    }

    @Test
    public void refreshForgetsNothingThatExistsAtTheProvider() {
        MailboxAddress jane = address("jane.doe.123.20241005123045");
        MailboxCredentials first = provisioner.createMailbox(MailboxRequest.of(jane)).credentials();

        provisioner.refresh();

        assertThat(provisioner.findMailbox(jane)).isPresent();
        MailboxCreation again = provisioner.createMailbox(MailboxRequest.of(jane));
        assertThat(again.outcome()).isEqualTo(MailboxCreation.Outcome.ALREADY_EXISTED);
        assertThat(again.credentials().routeId()).isEqualTo(first.routeId());
    }

    @Test
    public void prepareDomainReturnsRequirementsForThatDomain() {
        DomainRequirements r = provisioner.prepareDomain(domain());

        assertThat(r.domain()).isEqualTo(domain());
        assertThat(r.mxHosts()).isNotEmpty();
        assertThat(r.spfInclude()).isNotBlank();
        assertThat(r.dkim().value()).isNotBlank();
        assertThat(r.dkim().name()).isNotEmpty().doesNotEndWith(domain());
        r.ownership().ifPresent(o -> assertThat(o.name()).doesNotEndWith(domain()));
    }

    @Test
    public void domainRequirementsReadsWithoutRegisteringTheDomain() {
        assertThat(provisioner.domainRequirements(domain())).isEmpty();
        assertThat(provisioner.domainRequirements(domain())).isEmpty(); // still unknown: nothing was registered
        DomainRequirements prepared = provisioner.prepareDomain(domain());
        assertThat(provisioner.domainRequirements(domain())).contains(prepared);
    }

    @Test
    public void prepareDomainTwiceGivesTheSameRequirements() {
        DomainRequirements first = provisioner.prepareDomain(domain());

        assertThat(provisioner.prepareDomain(domain())).isEqualTo(first);
    }

    @Test
    public void verifyDomainReportsOnThePreparedDomain() {
        provisioner.prepareDomain(domain());

        DomainVerification v = provisioner.verifyDomain(domain());

        assertThat(v.domain()).isEqualTo(domain());
        assertThat(v.isReady()).isEqualTo(v.dkim().status() == DomainVerification.Status.OK
                && v.spf().status() == DomainVerification.Status.OK && v.senderValidated());
    }

    @Test
    public void credentialsToStringHidesThePasswordAndRouteCredentials() {
        MailboxCredentials c = provisioner.createMailbox(
                new MailboxRequest(address("jane.doe.123.20241005123045"), "Jane Doe")).credentials();

        assertThat(c.toString()).doesNotContain(c.smtpPassword().reveal()).contains(c.address().value());
        if (c.routeUrl().getRawUserInfo() != null) {
            assertThat(c.toString()).doesNotContain(c.routeUrl().getRawUserInfo());
        }
    }

    // ---- the population lifecycle on this provider: plan, apply, drift repair, retire, orphans

    /** A manifest file for the tests' population; a fresh directory per test. */
    @TempDir
    protected Path lifecycleDir;

    /**
     * @return an automation over {@link #provisioner} in {@link #domain()}; not closed by the tests (the provisioner
     *     is closed after each test)
     */
    protected MailAutomation automation() {
        return MailAutomation.builder().settings(ProvisioningSettings.of(domain())).provisioner(provisioner)
                .concurrency(4).build();
    }

    private ManifestFile population(MailAutomation mail, int size) {
        List<AgentIdentity> agents = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            agents.add(new AgentIdentity("Agent", "Number" + i, "", "agent-" + i));
        }
        PopulationManifest manifest = mail.extend(mail.newManifest(42, Instant.parse("2024-10-05T12:30:45Z")), agents);
        return ManifestFile.create(lifecycleDir.resolve("population.json"), manifest);
    }

    @Test
    void planOfANewPopulationCreatesEveryAgentAndApplyMakesThemActiveAndAReapplyCreatesNothing() {
        MailAutomation mail = automation();
        ManifestFile file = population(mail, 5);

        PopulationPlan plan = mail.plan(file.current());

        assertThat(plan.agents()).extracting(PopulationPlan.PlannedAgent::action)
                .containsOnly(PopulationPlan.Action.CREATE).hasSize(5);
        assertThat(provisioner.listMailboxes(domain())).as("planning writes nothing").isEmpty();

        ProvisioningReport report = mail.apply(file, ProvisioningListener.NONE);

        assertThat(report.outcomes()).extracting(AgentOutcome::status).containsOnly(AgentOutcome.Status.CREATED)
                .hasSize(5);
        assertThat(PopulationManifest.read(file.path()).agents()).extracting(ManifestAgent::state)
                .containsOnly(ManifestAgent.State.ACTIVE).hasSize(5);
        assertThat(mail.plan(file.current()).agents()).extracting(PopulationPlan.PlannedAgent::action)
                .containsOnly(PopulationPlan.Action.UNCHANGED);
        assertThat(mail.apply(file, ProvisioningListener.NONE).outcomes()).extracting(AgentOutcome::status)
                .containsOnly(AgentOutcome.Status.ALREADY_EXISTED);
        assertThat(provisioner.listMailboxes(domain())).hasSize(5);
    }

    @Test
    void mailboxesDeletedBehindTheManifestsBackArePlannedAsRepairsAndRecreatedByAReapply() {
        MailAutomation mail = automation();
        ManifestFile file = population(mail, 5);
        mail.apply(file, ProvisioningListener.NONE);
        List<ManifestAgent> agents = file.current().agents();
        provisioner.deleteMailbox(agents.get(1).address());
        provisioner.deleteMailbox(agents.get(3).address());
        provisioner.refresh();

        PopulationPlan plan = mail.plan(file.current());

        assertThat(plan.agents(PopulationPlan.Action.REPAIR)).extracting(p -> p.agent().id())
                .containsExactly("agent-2", "agent-4");
        assertThat(plan.counts().get(PopulationPlan.Action.UNCHANGED)).isEqualTo(3);

        ProvisioningReport report = mail.apply(file, ProvisioningListener.NONE);

        assertThat(report.counts().get(AgentOutcome.Status.CREATED)).isEqualTo(2);
        assertThat(provisioner.listMailboxes(domain())).hasSize(5);
        assertThat(mail.plan(file.current()).changesAnything()).isFalse();
    }

    @Test
    void retireDeletesTheMailboxesMarksTheAgentsRetiredIsIdempotentAndApplyNeverRecreatesThem() {
        MailAutomation mail = automation();
        ManifestFile file = population(mail, 5);
        mail.apply(file, ProvisioningListener.NONE);
        String secondAddress = file.current().agents().get(1).address().value();

        RetirementReport report = mail.retire(file, List.of("agent-1", secondAddress.toUpperCase(Locale.ROOT)), false);

        assertThat(report.outcomes()).extracting(RetireOutcome::status).containsExactly(RetireOutcome.Status.RETIRED,
                RetireOutcome.Status.RETIRED);
        assertThat(report.outcomes()).allSatisfy(o -> assertThat(((RetireOutcome.Retired) o).deletion())
                .isEqualTo(MailboxDeletion.Outcome.DELETED));
        assertThat(PopulationManifest.read(file.path()).agents(ManifestAgent.State.RETIRED))
                .extracting(ManifestAgent::id).containsExactly("agent-1", "agent-2");
        provisioner.refresh();
        assertThat(provisioner.listMailboxes(domain())).hasSize(3);

        RetirementReport again = mail.retire(file, List.of("agent-1", "agent-2"), false);

        assertThat(again.outcomes()).extracting(RetireOutcome::status)
                .containsOnly(RetireOutcome.Status.ALREADY_RETIRED);
        assertThat(mail.plan(file.current()).agents(PopulationPlan.Action.RETIRED)).hasSize(2);
        mail.apply(file, ProvisioningListener.NONE);
        provisioner.refresh();
        assertThat(provisioner.listMailboxes(domain())).hasSize(3);
    }

    @Test
    void aRetireDryRunWritesNothingAnywhere() throws Exception {
        MailAutomation mail = automation();
        ManifestFile file = population(mail, 3);
        mail.apply(file, ProvisioningListener.NONE);
        byte[] before = Files.readAllBytes(file.path());

        RetirementReport report = mail.retire(file, List.of(), true);

        assertThat(report.outcomes()).extracting(RetireOutcome::status).containsOnly(RetireOutcome.Status.WOULD_RETIRE)
                .hasSize(3);
        assertThat(Files.readAllBytes(file.path())).isEqualTo(before);
        assertThat(provisioner.listMailboxes(domain())).hasSize(3);
    }

    @Test
    void retiringAnUnknownAgentIsRefusedBeforeAnythingIsDone() throws Exception {
        MailAutomation mail = automation();
        ManifestFile file = population(mail, 2);
        mail.apply(file, ProvisioningListener.NONE);
        byte[] before = Files.readAllBytes(file.path());

        assertThatThrownBy(() -> mail.retire(file, List.of("agent-1", "agent-99"), false))
                .isInstanceOf(ManifestException.class).hasMessageContaining("agent-99");

        assertThat(Files.readAllBytes(file.path())).isEqualTo(before);
        assertThat(provisioner.listMailboxes(domain())).hasSize(2);
    }

    @Test
    void orphansAreThisDeploymentsMailboxesThatNoManifestMentionsAndRemovingThemTouchesNothingElse() {
        MailAutomation mail = automation();
        ManifestFile file = population(mail, 3);
        mail.apply(file, ProvisioningListener.NONE);
        MailboxAddress lost = address("lost.agent.777.20241005123045");
        provisioner.createMailbox(MailboxRequest.of(lost));

        List<Mailbox> orphans = mail.orphans(List.of(file.current()));

        assertThat(orphans).extracting(Mailbox::address).containsExactly(lost);
        assertThat(mail.orphans(List.of(file.current().withAgents(List.of(new ManifestAgent("found", "", "", "",
                lost, ManifestAgent.State.ACTIVE, Instant.EPOCH)))))).isEmpty();

        RetirementReport removed = mail.removeOrphans(orphans, false);

        assertThat(removed.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(RetireOutcome.Status.RETIRED);
            assertThat(o.address()).isEqualTo(lost);
            assertThat(o.agentId()).isEmpty();
        });
        provisioner.refresh();
        assertThat(provisioner.listMailboxes(domain())).extracting(Mailbox::address)
                .containsExactlyInAnyOrderElementsOf(file.current().agents().stream().map(ManifestAgent::address).toList());
        assertThat(mail.orphans(List.of(file.current()))).isEmpty();
    }

    @Test
    public void closingTwiceIsHarmless() {
        MailboxProvisioner other = createProvisioner();
        other.close();
        other.close();
    }

    /**
     * Runs {@code task} on {@code threads} threads released at the same moment.
     *
     * @param threads how many
     * @param task what each does
     * @param <T> the result type
     * @return every result
     * @throws Exception if a task failed or took over 30 s
     */
    protected static <T> List<T> race(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
