package io.azt3knet.mail.mailjet;

import io.azt3knet.mail.test.fake.FakeMailjet;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.azt3knet.mail.ProviderServiceException;
import io.azt3knet.mail.ProviderTransportException;
import io.azt3knet.mail.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every call of {@link MailjetClient} and every Mailjet quirk, on WireMock stubs shaped like the real API. */
class MailjetClientTest {

    @RegisterExtension
    static final WireMockExtension WM = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private MailjetClient client;

    @BeforeEach
    void createClient() {
        MailjetSettings settings = MailjetSettings.builder(FakeMailjet.KEY, Secret.of(FakeMailjet.SECRET))
                .apiUrl(java.net.URI.create(WM.baseUrl())).build();
        client = new MailjetClient(MailjetFakes.http(settings));
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(
                (FakeMailjet.KEY + ":" + FakeMailjet.SECRET).getBytes(StandardCharsets.UTF_8));
    }

    // ---- senders

    @Test
    void createsASenderWithBasicAuthAndReadsNumbersSentAsStrings() {
        WM.stubFor(post("/v3/REST/sender").withHeader("Authorization", equalTo(basic()))
                .withRequestBody(equalToJson("{\"Email\":\"*@agents.example.org\"}"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("""
                        {"Count": "1", "Data": [{"CreatedAt": "2024-03-05T09:15:22Z", "DNSID": "2981", "Email":
                        "*@agents.example.org", "EmailType": "", "Filename": "abcdef0123456789.txt", "ID": "7431",
                        "IsDefaultSender": "false", "Name": "", "Status": "Inactive"}], "Total": "1"}""")));

        MailjetSender s = client.createSender("*@agents.example.org", "");

        assertThat(s).isEqualTo(new MailjetSender(7431, "*@agents.example.org", "", "Inactive", 2981,
                "abcdef0123456789.txt"));
        assertThat(s.isActive()).isFalse();
    }

    @Test
    void listsSendersWithFiltersAndTheLargestPage() {
        WM.stubFor(get(urlPathEqualTo("/v3/REST/sender")).willReturn(okJson("""
                {"Count": 1, "Data": [{"ID": 7431, "Email": "*@agents.example.org", "Status": "Active", "DNSID": 2981}],
                 "Total": 1}""")));

        List<MailjetSender> senders = client.listSenders(MailjetSenderQuery.all().email("*@agents.example.org")
                .status("Active").dnsId(2981));

        assertThat(senders).singleElement().satisfies(s -> assertThat(s.isActive()).isTrue());
        WM.verify(getRequestedFor(urlPathEqualTo("/v3/REST/sender"))
                .withQueryParam("Email", equalTo("*@agents.example.org")).withQueryParam("Status", equalTo("Active"))
                .withQueryParam("DnsID", equalTo("2981")).withQueryParam("Limit", equalTo("1000"))
                .withQueryParam("Offset", equalTo("0")));
    }

    @Test
    void unknownSenderIsEmpty() {
        WM.stubFor(get("/v3/REST/sender/999").willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ErrorInfo\":\"\",\"ErrorMessage\":\"Object not found\",\"StatusCode\":404}")));

        assertThat(client.getSender(999)).isEmpty();
    }

    @Test
    void validationFailureComesAsA200WithMailjetsReasons() {
        WM.stubFor(post("/v3/REST/sender/7431/validate").willReturn(okJson("""
                {"Count":1,"Data":[{"Errors":{"DNSValidationError":"No TXT record found",
                "FileValidationError":"The file was not found"},
                "GlobalError":"Neither the file abcdef0123456789.txt nor the DNS TXT record have been found",
                "ValidationMethod":""}],"Total":1}""")));

        MailjetSenderValidation v = client.validateSender(7431);

        assertThat(v.isValidated()).isFalse();
        assertThat(v.globalError()).startsWith("Neither the file");
        assertThat(v.errors()).containsEntry("DNSValidationError", "No TXT record found").hasSize(2);
    }

    @Test
    void validationOfAnActiveSenderIsA400WithMailjetsMessage() {
        WM.stubFor(post("/v3/REST/sender/7431/validate").willReturn(aResponse().withStatus(400)
                .withBody("{\"ErrorInfo\":\"\",\"ErrorMessage\":\"Sender is already active\",\"StatusCode\":400}")));

        assertThatThrownBy(() -> client.validateSender(7431)).isInstanceOfSatisfying(ProviderServiceException.class,
                e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.providerMessage()).isEqualTo("Sender is already active");
                });
    }

    // ---- dns

    @Test
    void readsADnsEntryByDomainOrId() {
        String entry = """
                {"Count":1,"Data":[{"DKIMRecordName":"mailjet._domainkey.agents.example.org.",
                "DKIMRecordValue":"k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC","DKIMStatus":"Not checked",
                "Domain":"agents.example.org","ID":"2981","IsCheckInProgress":"false","LastCheckAt":"",
                "OwnerShipToken":"d5a6b9e7b1a0d8c4e3f2","OwnerShipTokenRecordName":"mailjet._d5a6b9e7",
                "SPFRecordValue":"v=spf1 include:spf.mailjet.com ?all","SPFStatus":"Not checked"}],"Total":1}""";
        WM.stubFor(get("/v3/REST/dns/agents.example.org").willReturn(okJson(entry)));
        WM.stubFor(get("/v3/REST/dns/2981").willReturn(okJson(entry)));

        MailjetDns byName = client.getDns("Agents.Example.org").orElseThrow();
        MailjetDns byId = client.getDns("2981").orElseThrow();

        assertThat(byName).isEqualTo(byId);
        assertThat(byId.id()).isEqualTo(2981);
        assertThat(byId.checkInProgress()).isFalse();
        assertThat(byId.ownershipTokenRecordName()).isEqualTo("mailjet._d5a6b9e7");
        assertThat(byId.dkimRecordValue()).startsWith("k=rsa; p=");
    }

    @Test
    void listsDnsEntries() {
        WM.stubFor(get(urlPathEqualTo("/v3/REST/dns")).willReturn(okJson("""
                {"Count":2,"Data":[{"ID":1,"Domain":"a.example.org"},{"ID":2,"Domain":"b.example.org",
                "IsCheckInProgress":true}],"Total":2}""")));

        assertThat(client.listDns()).extracting(MailjetDns::domain).containsExactly("a.example.org", "b.example.org");
        assertThat(client.listDns().get(1).checkInProgress()).isTrue();
    }

    @Test
    void dnsCheckKeepsMailjetsErrorStringsAndCurrentValues() {
        WM.stubFor(post("/v3/REST/dns/2981/check").withRequestBody(equalToJson("{}")).willReturn(okJson("""
                {"Count":1,"Data":[{"DKIMErrors":["no DKIM record"],"DKIMRecordCurrentValue":"","DKIMStatus":"Error",
                "SPFErrors":[],"SPFRecordsCurrentValues":["v=spf1 include:spf.mailjet.com -all"],"SPFStatus":"OK"}],
                "Total":1}""")));

        MailjetDnsCheck c = client.checkDns("2981");

        assertThat(c.dkimStatus()).isEqualTo("Error");
        assertThat(c.dkimErrors()).containsExactly("no DKIM record");
        assertThat(c.spfStatus()).isEqualTo("OK");
        assertThat(c.spfRecordsCurrentValues()).containsExactly("v=spf1 include:spf.mailjet.com -all");
    }

    @Test
    void dnsPathRefusesAnythingButAnIdOrADomain() {
        assertThatThrownBy(() -> client.getDns("../sender")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- parse routes

    @Test
    void createsAParseRoute() {
        WM.stubFor(post("/v3/REST/parseroute")
                .withRequestBody(equalToJson("{\"Url\":\"https://hooks.example.org/in\",\"Email\":\"jane@agents.example.org\"}"))
                .willReturn(aResponse().withStatus(201).withBody("""
                        {"Count":1,"Data":[{"APIKeyID":42,"Email":"jane@agents.example.org","ID":57,
                        "Url":"https://hooks.example.org/in"}],"Total":1}""")));

        MailjetParseRoute r = client.createParseRoute("https://hooks.example.org/in", "jane@agents.example.org");

        assertThat(r).isEqualTo(new MailjetParseRoute(57, "jane@agents.example.org", "https://hooks.example.org/in", 42));
    }

    @Test
    void listingEverythingAlwaysSendsLimitAndPagesUntilAShortPage() {
        WM.stubFor(get(urlPathEqualTo("/v3/REST/parseroute")).withQueryParam("Offset", equalTo("0"))
                .willReturn(okJson(routes(0, 1000, 1000)))); // Total equal to the page: not trusted to end the walk
        WM.stubFor(get(urlPathEqualTo("/v3/REST/parseroute")).withQueryParam("Offset", equalTo("1000"))
                .willReturn(okJson(routes(1000, 1000, 1000))));
        WM.stubFor(get(urlPathEqualTo("/v3/REST/parseroute")).withQueryParam("Offset", equalTo("2000"))
                .willReturn(okJson(routes(2000, 7, 7))));

        List<MailjetParseRoute> all = client.listAllParseRoutes();

        assertThat(all).hasSize(2007);
        assertThat(all.get(2006).email()).isEqualTo("agent2006@agents.example.org");
        WM.verify(3, getRequestedFor(urlPathEqualTo("/v3/REST/parseroute")).withQueryParam("Limit", equalTo("1000")));
        WM.verify(0, getRequestedFor(urlPathEqualTo("/v3/REST/parseroute")).withQueryParam("Limit", absent()));
    }

    @Test
    void listingStopsWhenTheTotalCountingEveryItemIsReached() {
        WM.stubFor(get(urlPathEqualTo("/v3/REST/parseroute")).withQueryParam("Offset", equalTo("0"))
                .willReturn(okJson(routes(0, 1000, 2000))));
        WM.stubFor(get(urlPathEqualTo("/v3/REST/parseroute")).withQueryParam("Offset", equalTo("1000"))
                .willReturn(okJson(routes(1000, 1000, 2000))));

        assertThat(client.listAllParseRoutes()).hasSize(2000);
        WM.verify(2, getRequestedFor(urlPathEqualTo("/v3/REST/parseroute")));
    }

    @Test
    void aServerServingSmallerPagesThanAskedIsReadUntilTheTotal() {
        FakeMailjet fake = new FakeMailjet();
        com.github.tomakehurst.wiremock.WireMockServer server = fake.startServer();
        try (MailjetClient small = new MailjetClient(MailjetFakes.http(MailjetFakes.settings(fake).build()))) {
            fake.pageSize(7);
            for (int i = 0; i < 20; i++) {
                fake.addRoute("agent" + i + "@agents.example.org", "https://hooks.example.org/in");
            }

            List<MailjetParseRoute> all = small.listAllParseRoutes();

            assertThat(all).extracting(MailjetParseRoute::email).doesNotHaveDuplicates().hasSize(20)
                    .contains("agent0@agents.example.org", "agent19@agents.example.org");
            assertThat(server.getAllServeEvents()).extracting(e -> e.getRequest().queryParameter("Offset").firstValue())
                    .containsExactlyInAnyOrder("0", "7", "14");
        } finally {
            fake.stopServer();
        }
    }

    @Test
    void listsOnePageOfRoutes() {
        WM.stubFor(get(urlPathEqualTo("/v3/REST/parseroute")).withQueryParam("Limit", equalTo("5"))
                .withQueryParam("Offset", equalTo("10")).willReturn(okJson(routes(10, 5, 17))));

        MailjetPage<MailjetParseRoute> page = client.listParseRoutes(5, 10);

        assertThat(page.data()).hasSize(5);
        assertThat(page.count()).isEqualTo(5);
        assertThat(page.total()).isEqualTo(17);
        assertThatThrownBy(() -> client.listParseRoutes(1001, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String routes(int from, int n, int total) {
        StringBuilder sb = new StringBuilder("{\"Count\":" + n + ",\"Data\":[");
        for (int i = from; i < from + n; i++) {
            sb.append(i == from ? "" : ",").append("{\"ID\":").append(i + 1).append(",\"Email\":\"agent").append(i)
                    .append("@agents.example.org\",\"Url\":\"https://hooks.example.org/in\"}");
        }
        return sb.append("],\"Total\":").append(total).append('}').toString();
    }

    @Test
    void getsARouteOrNothing() {
        WM.stubFor(get("/v3/REST/parseroute/57").willReturn(okJson("""
                {"Count":1,"Data":[{"ID":"57","Email":"jane@agents.example.org","Url":"https://hooks.example.org/in"}],
                "Total":1}""")));
        WM.stubFor(get("/v3/REST/parseroute/58").willReturn(aResponse().withStatus(404)));

        assertThat(client.getParseRoute(57)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(57));
        assertThat(client.getParseRoute(58)).isEmpty();
    }

    @Test
    void notModifiedOnAPutIsSuccessWithoutChange() {
        WM.stubFor(put("/v3/REST/parseroute/57").withRequestBody(equalToJson("{\"Url\":\"https://hooks.example.org/in\"}"))
                .willReturn(aResponse().withStatus(304)));
        WM.stubFor(put("/v3/REST/parseroute/58").willReturn(okJson("""
                {"Count":1,"Data":[{"ID":58,"Email":"bob@agents.example.org","Url":"https://hooks.example.org/in"}],
                "Total":1}""")));

        assertThat(client.updateParseRoute(57, "https://hooks.example.org/in")).isFalse();
        assertThat(client.updateParseRoute(58, "https://hooks.example.org/in")).isTrue();
    }

    @Test
    void deletesARouteAndSaysWhenThereWasNone() {
        WM.stubFor(delete("/v3/REST/parseroute/57").willReturn(aResponse().withStatus(204)));
        WM.stubFor(delete("/v3/REST/parseroute/58").willReturn(aResponse().withStatus(404)
                .withBody("{\"ErrorInfo\":\"\",\"ErrorMessage\":\"Object not found\",\"StatusCode\":404}")));

        assertThat(client.deleteParseRoute(57)).isTrue();
        assertThat(client.deleteParseRoute(58)).isFalse();
    }

    @Test
    void routeToStringHidesTheCredentialsInItsUrl() {
        MailjetParseRoute r = new MailjetParseRoute(1, "a@b.org", "https://mailjet:topsecret@hooks.example.org/in", 0);

        assertThat(r.toString()).doesNotContain("topsecret").contains("https://****@hooks.example.org/in");
    }

    // ---- api keys

    @Test
    void createsASubAccountKeyWhoseSecretNeverPrints() {
        WM.stubFor(post("/v3/REST/apikey").withRequestBody(equalToJson("{\"Name\":\"jane@agents.example.org\"}"))
                .willReturn(aResponse().withStatus(201).withBody("""
                        {"Count":1,"Data":[{"ACL":"","APIKey":"3a9e0c2b5f","CreatedAt":"2024-03-05T09:15:22Z",
                        "ID":"88","IsActive":"true","IsMaster":"false","Name":"jane@agents.example.org",
                        "SecretKey":"c9f1d2e3a4b5","UserID":"5"}],"Total":1}""")));

        MailjetApiKey k = client.createApiKey("jane@agents.example.org");

        assertThat(k.apiKey()).isEqualTo("3a9e0c2b5f");
        assertThat(k.secretKey()).hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo("c9f1d2e3a4b5"));
        assertThat(k.active()).isTrue();
        assertThat(k.toString()).doesNotContain("c9f1d2e3a4b5");
    }

    @Test
    void listsApiKeys() {
        WM.stubFor(get(urlPathEqualTo("/v3/REST/apikey")).willReturn(okJson("""
                {"Count":1,"Data":[{"ID":88,"Name":"x","APIKey":"k","IsActive":false}],"Total":1}""")));

        assertThat(client.listApiKeys()).singleElement().satisfies(k -> {
            assertThat(k.secretKey()).isEmpty();
            assertThat(k.active()).isFalse();
        });
    }

    // ---- errors

    @Test
    void errorMessageSentAsAnObjectIsKeptAsJson() {
        WM.stubFor(post("/v3/REST/sender").willReturn(aResponse().withStatus(400).withBody("""
                {"ErrorInfo":"","ErrorMessage":{"ContactsLists":[{"ListID":1,"Action":"addnoforce","Error":"bad"}]},
                "StatusCode":400}""")));

        assertThatThrownBy(() -> client.createSender("x@example.org", "")).isInstanceOfSatisfying(
                ProviderServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.providerMessage()).contains("\"ContactsLists\"").contains("addnoforce");
                });
    }

    @Test
    void emptyHtmlErrorBodyKeepsTheStatusAndReason() {
        WM.stubFor(post("/v3/REST/sender").willReturn(aResponse().withStatus(400)
                .withStatusMessage("At least FromEmail or Sender must be provided")
                .withHeader("Content-Type", "text/html")));

        assertThatThrownBy(() -> client.createSender("x@example.org", "")).isInstanceOfSatisfying(
                ProviderServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.providerMessage()).contains("400").contains("Bad Request").contains("empty body");
                });
    }

    @Test
    void htmlErrorPageIsReportedWithoutItsMarkup() {
        WM.stubFor(get(urlPathEqualTo("/v3/REST/dns")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "text/html").withBody("<html><body><h1>403 Forbidden</h1></body></html>")));

        assertThatThrownBy(() -> client.listDns()).isInstanceOfSatisfying(ProviderServiceException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.providerMessage()).contains("HTML body").doesNotContain("<h1>");
        });
    }

    @Test
    void tooManyRequestsWithoutRetryAfterIsRetriedWithBackoff() {
        WM.stubFor(get(urlPathEqualTo("/v3/REST/parseroute")).inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withBody("{\"ErrorInfo\":\"\",\"ErrorMessage\":\"Too many requests\","
                        + "\"StatusCode\":429}")).willSetStateTo("open"));
        WM.stubFor(get(urlPathEqualTo("/v3/REST/parseroute")).inScenario("throttle").whenScenarioStateIs("open")
                .willReturn(okJson(routes(0, 3, 3))));

        assertThat(client.listAllParseRoutes()).hasSize(3);
        WM.verify(2, getRequestedFor(urlPathEqualTo("/v3/REST/parseroute")));
    }

    @Test
    void serverErrorKeepsTheErrorIdentifierToQuoteToSupport() {
        WM.stubFor(post("/v3/REST/parseroute").willReturn(aResponse().withStatus(500).withBody("""
                {"ErrorIdentifier":"1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901","ErrorMessage":"Internal Server Error",
                "StatusCode":500}""")));

        assertThatThrownBy(() -> client.createParseRoute("https://hooks.example.org/in", "a@example.org"))
                .isInstanceOfSatisfying(ProviderServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.requestId()).hasValue("1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901");
                    assertThat(e.getMessage()).contains("1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901");
                });
        WM.verify(1, postRequestedFor(urlPathEqualTo("/v3/REST/parseroute"))); // a create is never repeated blindly
    }

    @Test
    void serverErrorOnAReadIsRetried() {
        WM.stubFor(get("/v3/REST/dns/2981").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                        .withBody("<html>bad gateway</html>")).willSetStateTo("ok"));
        WM.stubFor(get("/v3/REST/dns/2981").inScenario("flaky").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"Count\":1,\"Data\":[{\"ID\":2981,\"Domain\":\"a.example.org\"}],\"Total\":1}")));

        assertThat(client.getDns("2981")).isPresent();
    }

    @Test
    void badKeyPairIsA401WithMailjetsMessageAndNoSecret() {
        WM.stubFor(get(urlPathEqualTo("/v3/REST/apikey")).willReturn(aResponse().withStatus(401).withBody(
                "{\"ErrorInfo\":\"\",\"ErrorMessage\":\"API key authentication/authorization failure\",\"StatusCode\":401}")));

        assertThatThrownBy(() -> client.listApiKeys()).isInstanceOfSatisfying(ProviderServiceException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(401);
            assertThat(e.getMessage()).contains("authentication").doesNotContain(FakeMailjet.SECRET)
                    .endsWith("(check MAILJET_API_KEY and MAILJET_API_SECRET)");
        });
    }

    @Test
    void successWithAnUnreadableBodyIsAnError() {
        WM.stubFor(post("/v3/REST/apikey").willReturn(aResponse().withStatus(201).withBody("<html>ok</html>")));

        assertThatThrownBy(() -> client.createApiKey("x")).isInstanceOf(ProviderServiceException.class)
                .hasMessageContaining("not JSON");
    }

    @Test
    void droppedConnectionIsATransportError() {
        WM.stubFor(post("/v3/REST/parseroute").willReturn(aResponse()
                .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> client.createParseRoute("https://hooks.example.org/in", "a@example.org"))
                .isInstanceOf(ProviderTransportException.class);
        WM.verify(1, postRequestedFor(urlPathEqualTo("/v3/REST/parseroute")));
    }
}
