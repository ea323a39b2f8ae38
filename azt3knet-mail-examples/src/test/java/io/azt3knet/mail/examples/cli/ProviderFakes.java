package io.azt3knet.mail.examples.cli;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.azt3knet.mail.test.fake.FakeDesec;
import io.azt3knet.mail.test.fake.FakeMailjet;
import java.util.HashMap;
import java.util.Map;

/**
 * Mailjet and deSEC as stateful fakes on loopback, Mailjet's DNS checks reading the fake deSEC zone, and the
 * environment that points the command line (or {@code MailAutomation.fromConfiguration}) at them.
 */
final class ProviderFakes implements AutoCloseable {

    static final String DOMAIN = "agents.example.org";
    static final String INBOUND_URL = "https://hooks.example.org/mailjet/inbound";
    static final String INBOUND_SECRET = "inb0und-s3cret-e2e-4711";
    static final String PUBLIC_IP = "203.0.113.7";

    final FakeMailjet mailjet = new FakeMailjet();
    final FakeDesec desec = new FakeDesec(DOMAIN, 3600);
    final WireMockServer mailjetServer;
    final WireMockServer desecServer;

    ProviderFakes() {
        mailjetServer = mailjet.startServer();
        desecServer = desec.startServer();
        mailjet.resolveDnsWith(desec::txt);
        desec.publicIpv4(PUBLIC_IP);
    }

    /** @return every variable the commands need, pointing at the fakes; Mailjet paced at 200 calls/s */
    Map<String, String> env() {
        return env(Map.of());
    }

    /**
     * @param overrides variables to add or replace
     * @return the environment
     */
    Map<String, String> env(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("DESEC_DOMAIN", DOMAIN);
        env.put("DESEC_TOKEN", FakeDesec.TOKEN);
        env.put("DESEC_API_URL", desec.apiUrl().toString());
        env.put("DESEC_DYNDNS_UPDATE_URL", desec.dynDnsUpdateUrl().toString());
        env.put("DESEC_CHECKIP_URL", desec.checkIpUrl().toString());
        env.put("MAILJET_API_KEY", FakeMailjet.KEY);
        env.put("MAILJET_API_SECRET", FakeMailjet.SECRET);
        env.put("MAILJET_API_URL", mailjet.baseUrl().toString());
        env.put("MAILJET_INBOUND_URL", INBOUND_URL);
        env.put("MAILJET_INBOUND_SECRET", INBOUND_SECRET);
        env.put("MAILJET_REQUESTS_PER_SECOND", "200");
        env.putAll(overrides);
        return Map.copyOf(env);
    }

    @Override
    public void close() {
        mailjet.stopServer();
        desec.stopServer();
    }
}
