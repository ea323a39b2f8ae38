package io.azt3knet.mail.mailjet;

import io.azt3knet.mail.test.fake.FakeMailjet;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.ProviderServiceException;
import io.azt3knet.mail.ProviderTransportException;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.provisioning.DomainRequirements;
import io.azt3knet.mail.provisioning.DomainVerification;
import io.azt3knet.mail.provisioning.MailboxCreation;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.MailboxDeletion;
import io.azt3knet.mail.provisioning.MailboxRequest;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link MailjetProvisioner} does beyond the contract, on the stateful fake of Mailjet. */
class MailjetProvisionerTest {

    private static final String DOMAIN = "agents.example.org";
    private static final String INBOUND = "https://hooks.example.org/mailjet/inbound";

    private final FakeMailjet fake = new FakeMailjet();
    private WireMockServer server;
    private MailjetProvisioner provisioner;

    @BeforeEach
    void start() {
        server = fake.startServer();
        provisioner = provisioner(MailjetFakes.settings(fake).build(), false);
    }

    @AfterEach
    void stop() {
        provisioner.close();
        fake.stopServer();
    }

    /** Backoff pauses the provisioner asked for, in nanoseconds; never slept. */
    private final List<Long> pauses = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    private MailjetProvisioner provisioner(MailjetSettings settings, boolean perAgentKeys) {
        return MailjetProvisioner.builder(settings).httpClient(MailjetFakes.http(settings))
                .credentialsMode(perAgentKeys ? MailjetCredentialsMode.perAgent() : MailjetCredentialsMode.account())
                .createRetry(new CreateRetry(4, java.time.Duration.ofMillis(250), java.time.Duration.ofSeconds(4),
                        pauses::add, () -> 0.5))
                .build();
    }

    private static MailboxAddress jane() {
        return new MailboxAddress("jane.doe.123.20241005123045", DOMAIN);
    }

    @Test
    void routeCarriesTheInboundSecretAsBasicCredentialsOfUserMailjet() {
        provisioner.close();
        provisioner = provisioner(MailjetFakes.settings(fake).inboundSecret(Secret.of("s3cr3t-0123456789.abc~def")).build(), false);

        MailboxCredentials c = provisioner.createMailbox(new MailboxRequest(jane(), "Jane Doe")).credentials();

        String stored = fake.routesFor(jane().value()).get(0).get("Url").asText();
        assertThat(stored).isEqualTo("https://mailjet:s3cr3t-0123456789.abc~def@hooks.example.org/mailjet/inbound");
        assertThat(c.routeUrl()).isEqualTo(URI.create(INBOUND)); // the secret never leaves the provisioner
        assertThat(c.toString()).doesNotContain("s3cr3t").doesNotContain(FakeMailjet.SECRET);
    }

    @Test
    void mailjetEchoingTheRouteUrlInAnErrorNeverRevealsTheInboundSecret() {
        provisioner.close();
        provisioner = provisioner(MailjetFakes.settings(fake).inboundSecret(Secret.of("s3cr3t-0123456789.abc~def")).build(), false);
        fake.failNextRouteCreate(400, "{\"ErrorInfo\":\"\",\"ErrorMessage\":\"Invalid Url "
                + "https://mailjet:s3cr3t-0123456789.abc~def@hooks.example.org/mailjet/inbound\",\"StatusCode\":400}");

        assertThatThrownBy(() -> provisioner.createMailbox(MailboxRequest.of(jane())))
                .isInstanceOf(ProviderServiceException.class)
                .hasMessageContaining("Invalid Url https://mailjet:****@hooks.example.org")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void routeWithoutSecretIsTheInboundUrlAsIs() {
        MailboxCredentials c = provisioner.createMailbox(MailboxRequest.of(jane())).credentials();

        assertThat(c.routeUrl()).isEqualTo(URI.create(INBOUND));
        assertThat(fake.routesFor(jane().value())).singleElement()
                .satisfies(r -> assertThat(r.get("Url").asText()).isEqualTo(INBOUND));
    }

    @Test
    void smtpLoginIsTheAccountKeyPairByDefault() {
        MailboxCredentials c = provisioner.createMailbox(new MailboxRequest(jane(), "Jane Doe")).credentials();

        assertThat(c.smtpHost()).isEqualTo("in-v3.mailjet.com");
        assertThat(c.smtpPort()).isEqualTo(587);
        assertThat(c.smtpUsername()).isEqualTo(FakeMailjet.KEY);
        assertThat(c.smtpPassword().reveal()).isEqualTo(FakeMailjet.SECRET);
        assertThat(c.routeId()).isEqualTo(fake.routesFor(jane().value()).get(0).get("ID").asText());
    }

    @Test
    void perAgentSmtpKeysCreateOneSubAccountKeyPerAgentAndReuseIt() {
        provisioner.close();
        provisioner = provisioner(MailjetFakes.settings(fake).build(), true);

        MailboxCredentials first = provisioner.createMailbox(MailboxRequest.of(jane())).credentials();
        MailboxCredentials again = provisioner.createMailbox(MailboxRequest.of(jane())).credentials();

        assertThat(first.smtpUsername()).startsWith("subkey").isEqualTo(again.smtpUsername());
        assertThat(first.smtpPassword().reveal()).startsWith("subsecret");
        server.verify(1, postRequestedFor(urlPathEqualTo("/v3/REST/apikey"))
                .withRequestBody(equalTo("{\"Name\":\"" + jane().value() + "\"}")));
    }

    @Test
    void deletingAMailboxLeavesTheRoutesOfAnotherDeploymentAlone() {
        provisioner.createMailbox(MailboxRequest.of(jane()));
        long foreign = fake.addRoute(jane().value(), "https://other-deployment.example.net/inbound");
        provisioner.refresh();

        assertThat(provisioner.deleteMailbox(jane()).outcome()).isEqualTo(MailboxDeletion.Outcome.DELETED);

        assertThat(fake.routesFor(jane().value())).singleElement()
                .satisfies(r -> assertThat(r.path("ID").asLong()).isEqualTo(foreign));
        provisioner.refresh();
        assertThat(provisioner.deleteMailbox(jane()).outcome()).as("only another deployment's route is left")
                .isEqualTo(MailboxDeletion.Outcome.ABSENT);
        assertThat(fake.routesFor(jane().value())).hasSize(1);
    }

    @Test
    void deletingAMailboxDeactivatesItsPerAgentKeyAndCreatingItAgainReactivatesTheSameKey() {
        provisioner.close();
        provisioner = provisioner(MailjetFakes.settings(fake).build(), true);
        MailboxCredentials first = provisioner.createMailbox(MailboxRequest.of(jane())).credentials();

        MailboxDeletion deletion = provisioner.deleteMailbox(jane());

        assertThat(deletion.outcome()).isEqualTo(MailboxDeletion.Outcome.DELETED);
        assertThat(fake.routesFor(jane().value())).isEmpty();
        assertThat(fake.apiKeyActive(jane().value())).as("the agent's SMTP login stops working").isFalse();
        server.verify(putRequestedFor(urlPathMatching("/v3/REST/apikey/[0-9]+"))
                .withRequestBody(equalTo("{\"IsActive\":false}")));
        assertThat(provisioner.deleteMailbox(jane()).outcome()).isEqualTo(MailboxDeletion.Outcome.ABSENT);
        provisioner.refresh();
        assertThat(provisioner.deleteMailbox(jane()).outcome()).as("after a fresh listing too")
                .isEqualTo(MailboxDeletion.Outcome.ABSENT);

        MailboxCredentials again = provisioner.createMailbox(MailboxRequest.of(jane())).credentials();

        assertThat(again.smtpUsername()).isEqualTo(first.smtpUsername());
        assertThat(fake.apiKeyActive(jane().value())).isTrue();
        assertThat(fake.apiKeyCount()).isEqualTo(1);
    }

    @Test
    void routesAreListedOnceWithTheLargestPageAndPagedByOffset() {
        for (int i = 0; i < 2345; i++) {
            fake.addRoute("other" + i + "@" + DOMAIN, INBOUND);
        }
        MailboxAddress last = new MailboxAddress("other2344", DOMAIN);

        assertThat(provisioner.createMailbox(MailboxRequest.of(last)).outcome())
                .isEqualTo(MailboxCreation.Outcome.ALREADY_EXISTED);
        provisioner.createMailbox(MailboxRequest.of(jane()));
        assertThat(provisioner.findMailbox(jane())).isPresent();
        assertThat(provisioner.listMailboxes(DOMAIN)).hasSize(2346);

        server.verify(3, getRequestedFor(urlPathEqualTo("/v3/REST/parseroute")));
        for (String offset : List.of("0", "1000", "2000")) {
            server.verify(1, getRequestedFor(urlPathEqualTo("/v3/REST/parseroute"))
                    .withQueryParam("Limit", equalTo("1000")).withQueryParam("Offset", equalTo(offset)));
        }
        server.verify(1, postRequestedFor(urlPathEqualTo("/v3/REST/parseroute")));
    }

    @Test
    void refreshListsTheRoutesAgain() {
        provisioner.findMailbox(jane());
        long otherTool = fake.addRoute(jane().value(), INBOUND);

        assertThat(provisioner.findMailbox(jane())).isEmpty(); // cached listing
        provisioner.refresh();

        assertThat(provisioner.findMailbox(jane())).hasValueSatisfying(m ->
                assertThat(m.routeId()).isEqualTo(Long.toString(otherTool)));
    }

    @Test
    void existingRoutePointingElsewhereIsCorrectedAndReportedRepaired() {
        long id = fake.addRoute(jane().value(), "https://old.example.org/inbound");

        MailboxCreation c = provisioner.createMailbox(MailboxRequest.of(jane()));

        assertThat(c.outcome()).isEqualTo(MailboxCreation.Outcome.REPAIRED);
        assertThat(c.credentials().routeId()).isEqualTo(Long.toString(id));
        assertThat(fake.routesFor(jane().value())).singleElement()
                .satisfies(r -> assertThat(r.get("Url").asText()).isEqualTo(INBOUND));
        server.verify(1, putRequestedFor(urlPathEqualTo("/v3/REST/parseroute/" + id)));
        server.verify(0, postRequestedFor(urlPathEqualTo("/v3/REST/parseroute")));
    }

    @Test
    void aRepairThatMailjetAnswers304BecauseTheUrlIsAlreadyRightIsSuccessAndChangesNothing() {
        long id = fake.addRoute(jane().value(), "https://old.example.org/inbound");
        assertThat(provisioner.findMailbox(jane())).isPresent(); // listed while it still pointed elsewhere
        try (MailjetClient otherProcess = new MailjetClient(MailjetFakes.http(MailjetFakes.settings(fake).build()))) {
            assertThat(otherProcess.updateParseRoute(id, INBOUND)).isTrue(); // corrected meanwhile
        }

        MailboxCreation c = provisioner.createMailbox(MailboxRequest.of(jane()));

        assertThat(c.outcome()).isEqualTo(MailboxCreation.Outcome.ALREADY_EXISTED);
        assertThat(c.credentials().routeId()).isEqualTo(Long.toString(id));
        assertThat(c.credentials().routeUrl().toString()).isEqualTo(INBOUND);
        assertThat(server.getAllServeEvents()).filteredOn(e -> e.getRequest().getMethod().getName().equals("PUT"))
                .extracting(e -> e.getResponse().getStatus()).containsExactlyInAnyOrder(200, 304);
        assertThat(fake.routesFor(jane().value())).singleElement()
                .satisfies(r -> assertThat(r.get("Url").asText()).isEqualTo(INBOUND));
        server.verify(0, postRequestedFor(urlPathEqualTo("/v3/REST/parseroute")));
    }

    @Test
    void routeAlreadyRightIsReusedWithoutAnyWrite() {
        long id = fake.addRoute("JANE.DOE.123.20241005123045@" + DOMAIN, INBOUND);

        MailboxCreation c = provisioner.createMailbox(MailboxRequest.of(jane()));

        assertThat(c.outcome()).isEqualTo(MailboxCreation.Outcome.ALREADY_EXISTED);
        assertThat(c.credentials().routeId()).isEqualTo(Long.toString(id));
        server.verify(0, putRequestedFor(urlPathMatching("/v3/REST/parseroute/.*")));
        server.verify(0, postRequestedFor(urlPathEqualTo("/v3/REST/parseroute")));
    }

    @Test
    void duplicateRoutesMadeByOtherToolsAreCollapsedToTheOldest() {
        long oldest = fake.addRoute(jane().value(), INBOUND);
        long duplicate = fake.addRoute(jane().value(), INBOUND);

        MailboxCreation c = provisioner.createMailbox(MailboxRequest.of(jane()));

        assertThat(c.outcome()).isEqualTo(MailboxCreation.Outcome.REPAIRED);
        assertThat(c.credentials().routeId()).isEqualTo(Long.toString(oldest));
        assertThat(fake.routesFor(jane().value())).hasSize(1);
        server.verify(1, deleteRequestedFor(urlPathEqualTo("/v3/REST/parseroute/" + duplicate)));
    }

    @Test
    void connectionDroppedAfterTheRouteWasCreatedDoesNotLeadToASecondRoute() {
        fake.afterNextRouteCreate(Fault.CONNECTION_RESET_BY_PEER);

        MailboxCreation first = provisioner.createMailbox(MailboxRequest.of(jane()));
        MailboxCreation second = provisioner.createMailbox(MailboxRequest.of(jane()));

        assertThat(first.outcome()).isEqualTo(MailboxCreation.Outcome.CREATED);
        assertThat(second.outcome()).isEqualTo(MailboxCreation.Outcome.ALREADY_EXISTED);
        assertThat(second.credentials().routeId()).isEqualTo(first.credentials().routeId());
        assertThat(fake.routesFor(jane().value())).hasSize(1);
        assertThat(fake.routePosts()).isEqualTo(1);
    }

    @Test
    void whenTheRecheckAfterADroppedConnectionFailsTooTheNextCallListsBeforeCreating() {
        provisioner.findMailbox(jane()); // routes listed and cached
        fake.afterNextRouteCreate(Fault.CONNECTION_RESET_BY_PEER);
        fake.failNextRouteListings(5); // every attempt of the re-check

        assertThatThrownBy(() -> provisioner.createMailbox(MailboxRequest.of(jane())))
                .isInstanceOfSatisfying(ProviderTransportException.class, e -> assertThat(e.getSuppressed())
                        .singleElement().asString().contains("503"));
        MailboxCreation next = provisioner.createMailbox(MailboxRequest.of(jane()));

        assertThat(next.outcome()).isEqualTo(MailboxCreation.Outcome.ALREADY_EXISTED);
        assertThat(fake.routesFor(jane().value())).hasSize(1);
        assertThat(fake.routePosts()).isEqualTo(1);
    }

    @Test
    void serverErrorAfterTheRouteWasCreatedDoesNotLeadToASecondRoute() {
        fake.afterNextRouteCreate(500, "{\"ErrorIdentifier\":\"8f3c2f6e-0000-4a4a-9a9a-123456789abc\","
                + "\"ErrorMessage\":\"Internal Server Error\",\"StatusCode\":500}");

        MailboxCreation first = provisioner.createMailbox(MailboxRequest.of(jane()));
        provisioner.refresh();
        MailboxCreation second = provisioner.createMailbox(MailboxRequest.of(jane()));

        assertThat(first.outcome()).isEqualTo(MailboxCreation.Outcome.CREATED);
        assertThat(second.outcome()).isEqualTo(MailboxCreation.Outcome.ALREADY_EXISTED);
        assertThat(fake.routesFor(jane().value())).hasSize(1);
        assertThat(fake.routePosts()).isEqualTo(1);
    }

    @Test
    void serverErrorThatCreatedNothingIsCheckedAndTheRouteCreatedAgainAfterABackoff() {
        fake.failNextRouteCreate(500, "{\"ErrorIdentifier\":\"8f3c2f6e-1111\",\"ErrorMessage\":\"Internal Server Error\","
                + "\"StatusCode\":500}");

        MailboxCreation created = provisioner.createMailbox(MailboxRequest.of(jane()));

        assertThat(created.outcome()).isEqualTo(MailboxCreation.Outcome.CREATED);
        assertThat(fake.routesFor(jane().value())).hasSize(1);
        assertThat(fake.routePosts()).isEqualTo(2);
        assertThat(pauses).containsExactly(125_000_000L); // half (the jitter) of the first 250 ms ceiling
        server.verify(2, getRequestedFor(urlPathEqualTo("/v3/REST/parseroute"))); // the first read, one re-check
    }

    @Test
    void dropsBeforeAndAfterTheServerActedMixedStillEndInExactlyOneRoute() {
        fake.failNextRouteCreate(502, "<html><body><h1>502 Bad Gateway</h1></body></html>");
        fake.failNextRouteCreate(500, "");

        fake.afterNextRouteCreate(Fault.EMPTY_RESPONSE);
        MailboxCreation created = provisioner.createMailbox(MailboxRequest.of(jane()));

        assertThat(created.outcome()).isEqualTo(MailboxCreation.Outcome.CREATED);
        assertThat(fake.routesFor(jane().value())).hasSize(1);
        assertThat(fake.routePosts()).isEqualTo(3); // two refused with nothing recorded, the third recorded
        assertThat(pauses).hasSize(2);
    }

    @Test
    void aCreateThatKeepsFailingIsTriedABoundedNumberOfTimesThenReportedWithTheProvidersError() {
        for (int i = 0; i < 10; i++) {
            fake.failNextRouteCreate(500, "{\"ErrorIdentifier\":\"id-" + i + "\",\"ErrorMessage\":\"Internal Server Error\","
                    + "\"StatusCode\":500}");
        }

        assertThatThrownBy(() -> provisioner.createMailbox(MailboxRequest.of(jane())))
                .isInstanceOfSatisfying(ProviderServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.requestId()).hasValue("id-3");
                });
        assertThat(fake.routePosts()).isEqualTo(4);
        assertThat(pauses).containsExactly(125_000_000L, 250_000_000L, 500_000_000L); // exponential, jittered
        assertThat(fake.routesFor(jane().value())).isEmpty();
    }

    @Test
    void workersNeedingARecheckAtTheSameMomentShareOneListing() throws Exception {
        provisioner.close();
        provisioner = provisioner(MailjetFakes.settings(fake).requestsPerSecond(1000).build(), false);
        provisioner.findMailbox(jane()); // the first read
        int workers = 16;
        for (int i = 0; i < workers; i++) {
            fake.afterNextRouteCreate(500, ""); // recorded, then an ambiguous 500
        }
        fake.latency(java.time.Duration.ofSeconds(1)); // the answers are lost together, a listing takes 1 s
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<MailboxCreation>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < workers; i++) {
                MailboxAddress a = new MailboxAddress("agent." + i + ".20241005123045", DOMAIN);
                futures.add(pool.submit(() -> provisioner.createMailbox(MailboxRequest.of(a))));
            }
            for (Future<MailboxCreation> f : futures) {
                assertThat(f.get(60, TimeUnit.SECONDS).outcome()).isEqualTo(MailboxCreation.Outcome.CREATED);
            }
        } finally {
            pool.shutdownNow();
        }
        int listings = server.countRequestsMatching(getRequestedFor(urlPathEqualTo("/v3/REST/parseroute")).build())
                .getCount() - 1;
        assertThat(listings).isEqualTo(provisioner.relistings()).isBetween(1, 4); // not one per worker
        assertThat(fake.routePosts()).isEqualTo(workers);
        assertThat(fake.duplicateRouteAddresses()).isEmpty();
        assertThat(fake.routeCount()).isEqualTo(workers);
    }

    @Test
    void refusedCreationIsNotFollowedByARelisting() {
        fake.failNextRouteCreate(400, "{\"ErrorInfo\":\"\",\"ErrorMessage\":\"Parse API requires a paid plan\","
                + "\"StatusCode\":400}");

        assertThatThrownBy(() -> provisioner.createMailbox(MailboxRequest.of(jane())))
                .isInstanceOf(ProviderServiceException.class).hasMessageContaining("Parse API requires a paid plan");
        server.verify(1, getRequestedFor(urlPathEqualTo("/v3/REST/parseroute")));
    }

    @Test
    void concurrentCreatesUnderADroppedConnectionStillMakeOneRoute() throws Exception {
        fake.afterNextRouteCreate(Fault.CONNECTION_RESET_BY_PEER);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<MailboxCreation>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return provisioner.createMailbox(MailboxRequest.of(jane()));
                }));
            }
            go.countDown();
            int created = 0;
            for (Future<MailboxCreation> f : futures) {
                created += f.get(30, TimeUnit.SECONDS).created() ? 1 : 0;
            }
            assertThat(created).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(fake.routesFor(jane().value())).hasSize(1);
    }

    @Test
    void routeDeletedBehindOurBackIsCreatedAgain() {
        long gone = fake.addRoute(jane().value(), "https://old.example.org/inbound");
        assertThat(provisioner.findMailbox(jane())).isPresent();
        provisioner.client().deleteParseRoute(gone); // as another tool would

        MailboxCreation c = provisioner.createMailbox(MailboxRequest.of(jane()));

        assertThat(c.outcome()).isEqualTo(MailboxCreation.Outcome.CREATED);
        assertThat(fake.routesFor(jane().value())).hasSize(1);
    }

    @Test
    void numbersAndBooleansSentAsStringsAreUnderstood() {
        fake.numbersAsStrings(true);
        long id = fake.addRoute(jane().value(), INBOUND);

        assertThat(provisioner.findMailbox(jane())).hasValueSatisfying(m ->
                assertThat(m.routeId()).isEqualTo(Long.toString(id)));
        assertThat(provisioner.createMailbox(MailboxRequest.of(new MailboxAddress("bob", DOMAIN))).credentials().routeId())
                .matches("[0-9]+");
        assertThat(provisioner.prepareDomain(DOMAIN).dkim().value()).startsWith("k=rsa; p=");
    }

    @Test
    void creatingAMailboxWithoutAnInboundUrlNamesTheVariable() {
        provisioner.close();
        provisioner = provisioner(MailjetSettings.builder(FakeMailjet.KEY, Secret.of(FakeMailjet.SECRET))
                .apiUrl(fake.baseUrl()).build(), false);

        assertThatThrownBy(() -> provisioner.createMailbox(MailboxRequest.of(jane())))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("MAILJET_INBOUND_URL");
        assertThat(fake.routePosts()).isZero();
    }

    @Test
    void prepareDomainCreatesTheCatchAllSenderOnceAndReportsItsDns() {
        DomainRequirements r = provisioner.prepareDomain(DOMAIN);
        DomainRequirements again = provisioner.prepareDomain(DOMAIN);

        assertThat(again).isEqualTo(r);
        server.verify(1, postRequestedFor(urlPathEqualTo("/v3/REST/sender"))
                .withRequestBody(equalTo("{\"Email\":\"*@" + DOMAIN + "\"}")));
        assertThat(r.domain()).isEqualTo(DOMAIN);
        assertThat(r.mxHosts()).containsExactly("parse.mailjet.com");
        assertThat(r.spfInclude()).isEqualTo("include:spf.mailjet.com");
        assertThat(r.dkim().name()).isEqualTo("mailjet._domainkey");
        assertThat(r.dkim().value()).startsWith("k=rsa; p=MIGf");
        assertThat(r.ownership()).hasValueSatisfying(o -> {
            assertThat(o.name()).matches("mailjet\\._[0-9a-f]+");
            assertThat(o.value()).startsWith("4f2a1200062");
        });
    }

    @Test
    void ownershipNameGivenFullyQualifiedIsMadeRelative() {
        fake.ownershipNameFullyQualified(true);

        DomainRequirements r = provisioner.prepareDomain(DOMAIN);

        assertThat(r.ownership()).hasValueSatisfying(o -> assertThat(o.name()).matches("mailjet\\._[0-9a-f]+"));
    }

    @Test
    void existingCatchAllSenderIsReusedAcrossProvisioners() {
        provisioner.prepareDomain(DOMAIN);
        MailjetSettings settings = MailjetFakes.settings(fake).mxHosts(List.of("parse.mailjet.com.", "mx2.example.org"))
                .spfInclude("include:spf.example.org").build();

        try (MailjetProvisioner other = provisioner(settings, false)) {
            DomainRequirements r = other.prepareDomain(DOMAIN);
            assertThat(r.mxHosts()).containsExactly("parse.mailjet.com", "mx2.example.org");
            assertThat(r.spfInclude()).isEqualTo("include:spf.example.org");
        }
        server.verify(1, postRequestedFor(urlPathEqualTo("/v3/REST/sender")));
        server.verify(getRequestedFor(urlPathEqualTo("/v3/REST/sender"))
                .withQueryParam("Email", equalTo("*@" + DOMAIN)).withQueryParam("Limit", equalTo("1000")));
    }

    @Test
    void verifyReportsMailjetsOwnErrorsAndDoesNotValidateWhileDnsIsWrong() {
        provisioner.prepareDomain(DOMAIN);
        fake.dnsCheckStatuses("Error", "Not found");

        DomainVerification v = provisioner.verifyDomain(DOMAIN);

        assertThat(v.dkim().status()).isEqualTo(DomainVerification.Status.ERROR);
        assertThat(v.dkim().errors()).containsExactly("no DKIM record");
        assertThat(v.spf().status()).isEqualTo(DomainVerification.Status.ERROR);
        assertThat(v.spf().errors()).containsExactly("no SPF record found");
        assertThat(v.senderValidated()).isFalse();
        assertThat(v.isReady()).isFalse();
        server.verify(0, postRequestedFor(urlPathMatching("/v3/REST/sender/.*/validate")));
    }

    @Test
    void verifyValidatesTheSenderOnceDnsIsRightAndReportsMailjetsReasonWhenItFails() {
        provisioner.prepareDomain(DOMAIN);
        fake.dnsCheckStatuses("OK", "OK");

        DomainVerification failed = provisioner.verifyDomain(DOMAIN);

        assertThat(failed.dkim().status()).isEqualTo(DomainVerification.Status.OK);
        assertThat(failed.spf().currentValues()).containsExactly("v=spf1 include:spf.mailjet.com -all");
        assertThat(failed.senderValidated()).isFalse();
        assertThat(failed.validationMessage()).contains("Neither the file").contains("DNSValidationError: No TXT record");

        fake.ownershipPublished(true);
        DomainVerification ok = provisioner.verifyDomain(DOMAIN);

        assertThat(ok.isReady()).isTrue();
        assertThat(ok.validationMessage()).contains("DNS");
        server.verify(2, postRequestedFor(urlPathMatching("/v3/REST/sender/[0-9]+/validate")));

        DomainVerification later = provisioner.verifyDomain(DOMAIN);
        assertThat(later.isReady()).isTrue();
        server.verify(2, postRequestedFor(urlPathMatching("/v3/REST/sender/[0-9]+/validate")));
    }

    @Test
    void verifyingADomainNeverPreparedSaysSoWithoutCreatingIt() {
        DomainVerification v = provisioner.verifyDomain("unknown.example.org");

        assertThat(v.isReady()).isFalse();
        assertThat(v.validationMessage()).contains("prepareDomain");
        server.verify(0, postRequestedFor(urlPathEqualTo("/v3/REST/sender")));
    }

    @Test
    void deletingRemovesEveryRouteOfTheAddress() {
        fake.addRoute(jane().value(), INBOUND);
        fake.addRoute(jane().value(), INBOUND);

        assertThat(provisioner.deleteMailbox(jane()).deleted()).isTrue();

        assertThat(fake.routesFor(jane().value())).isEmpty();
        assertThat(provisioner.findMailbox(jane())).isEmpty();
    }

    @Test
    void aDeleteWhoseAnswerWasLostIsReportedDeletedAfterReadingTheRouteBack() {
        provisioner.createMailbox(MailboxRequest.of(jane()));
        fake.afterNextRouteDelete(Fault.CONNECTION_RESET_BY_PEER); // deleted, answer lost; the retry finds a 404

        MailboxDeletion deletion = provisioner.deleteMailbox(jane());

        assertThat(deletion.outcome()).isEqualTo(MailboxDeletion.Outcome.DELETED);
        assertThat(fake.routesFor(jane().value())).isEmpty();
        assertThat(provisioner.deleteMailbox(jane()).outcome()).isEqualTo(MailboxDeletion.Outcome.ABSENT);
    }

    @Test
    void aDeleteThatKeepsFailingIsReadBackAndThrownWhileTheRouteStillExistsAndARetryCompletesIt() {
        provisioner.createMailbox(MailboxRequest.of(jane()));
        fake.failRouteDeletes(503);

        assertThatThrownBy(() -> provisioner.deleteMailbox(jane())).isInstanceOf(ProviderServiceException.class)
                .satisfies(e -> assertThat(((ProviderServiceException) e).statusCode()).isEqualTo(503));
        assertThat(fake.routesFor(jane().value())).hasSize(1);
        server.verify(getRequestedFor(urlPathMatching("/v3/REST/parseroute/[0-9]+")));

        fake.failRouteDeletes(0);
        assertThat(provisioner.deleteMailbox(jane()).outcome()).isEqualTo(MailboxDeletion.Outcome.DELETED);
        assertThat(fake.routesFor(jane().value())).isEmpty();
    }

    @Test
    void aRefusedDeleteIsThrownWithoutReadingBack() {
        provisioner.createMailbox(MailboxRequest.of(jane()));
        fake.failRouteDeletes(403);

        assertThatThrownBy(() -> provisioner.deleteMailbox(jane())).isInstanceOf(ProviderServiceException.class);
        server.verify(0, getRequestedFor(urlPathMatching("/v3/REST/parseroute/[0-9]+")));
        assertThat(fake.routesFor(jane().value())).hasSize(1);
    }

    @Test
    void aRouteDeletedBehindTheProvisionersBackIsNoError() {
        provisioner.createMailbox(MailboxRequest.of(jane()));
        fake.deleteRoutesOf(jane().value());

        MailboxDeletion deletion = provisioner.deleteMailbox(jane()); // the cache still knows the route: DELETE 404

        assertThat(deletion.address()).isEqualTo(jane());
        assertThat(provisioner.deleteMailbox(jane()).outcome()).isEqualTo(MailboxDeletion.Outcome.ABSENT);
    }

    @Test
    void inboundUrlIsTheConfiguredOneWithoutCredentials() {
        provisioner.close();
        provisioner = provisioner(MailjetFakes.settings(fake).inboundSecret(Secret.of("inbound-secret-xyz-0123")).build(), false);

        assertThat(provisioner.inboundUrl()).contains(URI.create(INBOUND));
    }

    @Test
    void toStringShowsNoSecret() {
        provisioner.close();
        provisioner = provisioner(MailjetFakes.settings(fake).inboundSecret(Secret.of("inbound-secret-xyz")).build(), false);

        assertThat(provisioner.toString()).doesNotContain(FakeMailjet.SECRET).doesNotContain("inbound-secret-xyz");
    }

    @Test
    void repointingRoutesRotatesTheSecretOfEveryRouteOfThisDeploymentAndOnlyThose() {
        provisioner.close();
        provisioner = provisioner(MailjetFakes.settings(fake).inboundSecret(Secret.of("old-secret-0123456789")).build(), false);
        MailboxAddress john = new MailboxAddress("john.roe.456.20241005123045", DOMAIN);
        provisioner.createMailbox(MailboxRequest.of(jane()));
        provisioner.createMailbox(MailboxRequest.of(john));
        fake.addRoute("someone@other.example", "https://mailjet:theirs-0123456789abc@other.example.org/in");
        provisioner.close();
        provisioner = provisioner(MailjetFakes.settings(fake).inboundSecret(Secret.of("new-secret-0123456789")).build(), false);

        MailjetProvisioner.RouteRotation first = provisioner.repointRoutes();
        MailjetProvisioner.RouteRotation again = provisioner.repointRoutes();

        assertThat(first).isEqualTo(new MailjetProvisioner.RouteRotation(2, 2));
        assertThat(again).isEqualTo(new MailjetProvisioner.RouteRotation(2, 0));
        for (MailboxAddress a : List.of(jane(), john)) {
            assertThat(fake.routesFor(a.value())).singleElement().satisfies(r -> assertThat(r.get("Url").asText())
                    .isEqualTo("https://mailjet:new-secret-0123456789@hooks.example.org/mailjet/inbound"));
        }
        assertThat(fake.routesFor("someone@other.example").get(0).get("Url").asText()).contains("theirs");
        assertThat(first.toString()).doesNotContain("secret-0123456789");
    }
}
