package io.azt3knet.mail.test;

import io.azt3knet.mail.provisioning.MailboxDeletion;

import io.azt3knet.mail.provisioning.DomainRequirements;
import io.azt3knet.mail.provisioning.DomainVerification;
import io.azt3knet.mail.provisioning.Mailbox;
import io.azt3knet.mail.provisioning.MailboxCreation;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.MailboxProvisioner;
import io.azt3knet.mail.provisioning.MailboxRequest;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.MailboxAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MailboxProvisioner} must show, in the style of Micrometer's compatibility kit:
 * a provider module extends this class, returns its provisioner (on WireMock, on an empty account) from
 * {@link #createProvisioner()}, and inherits every test.
 *
 * <pre>{@code
 * class MailjetProvisionerContractTest extends MailboxProvisionerContractTest {
 *     protected MailboxProvisioner createProvisioner() { return MailjetProvisioner.builder()...build(); }
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
