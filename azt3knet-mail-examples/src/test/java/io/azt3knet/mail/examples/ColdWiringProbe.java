package io.azt3knet.mail.examples;

import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.MailAutomation;
import io.azt3knet.mail.config.ConfigSource;
import java.util.HashMap;
import java.util.Map;

/**
 * Run in a fresh JVM by {@link ColdWiringTest}: wires Mailjet and deSEC from configuration, first a configuration
 * with mistakes (which must fail at once), then a valid one, and makes no request.
 */
public final class ColdWiringProbe {

    private ColdWiringProbe() {
    }

    /** @param args none */
    public static void main(String[] args) {
        Map<String, String> config = new HashMap<>(Map.of(
                "DESEC_DOMAIN", "agents.example.org", "DESEC_TOKEN", "token-0123456789abcdef",
                "MAILJET_API_KEY", "key123", "MAILJET_API_SECRET", "secret456",
                "MAILJET_INBOUND_URL", "https://hooks.example.org/mailjet/inbound"));
        Map<String, String> wrong = new HashMap<>(config);
        wrong.remove("MAILJET_INBOUND_URL");
        wrong.put("DESEC_API_URL", "http://desec.example.org/api/v1/");
        try (MailAutomation unexpected = MailAutomation.fromConfiguration(ConfigSource.of(wrong))) {
            System.out.println("PROBE built with mistakes: " + unexpected);
        } catch (ConfigurationException expected) {
            System.out.println("PROBE refused: " + expected.getMessage().replace('\n', ' '));
        }
        try (MailAutomation mail = MailAutomation.fromConfiguration(ConfigSource.of(config))) {
            System.out.println("PROBE built: " + mail);
        }
    }
}
