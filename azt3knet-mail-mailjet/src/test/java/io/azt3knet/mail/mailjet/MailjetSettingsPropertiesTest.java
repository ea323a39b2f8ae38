package io.azt3knet.mail.mailjet;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.config.ConfigSource;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The configuration loader on arbitrary values: settings or one {@link ConfigurationException} naming the
 * variables, never another exception, and never a secret's value in the message or in toString.
 */
class MailjetSettingsPropertiesTest {

    private static final String SECRET_MARKER = "MARKERsecret7f3a9c";
    private static final String INBOUND_MARKER = "MARKERinbound5d2e8b";

    @Provide
    Arbitrary<String> anyValue() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30),
                Arbitraries.of("", " ", "https://api.mailjet.com", "http://127.0.0.1:8080", "http://evil.example",
                        "include:spf.mailjet.com", "+all", "ip4:0.0.0.0/0", "parse.mailjet.com", "a,b,,c", "0", "65536",
                        "587", "-1", "99999999999", "https://hooks.example.org/mj", "https://u:p@hooks.example.org/x",
                        "key123", "in-v3.mailjet.com", "https://hooks.example.org/?token=x"));
    }

    @Property(tries = 10_000)
    void anyValuesGiveSettingsOrOneConfigurationErrorWithoutSecrets(@ForAll("anyValue") String key,
            @ForAll("anyValue") String url, @ForAll("anyValue") String mx, @ForAll("anyValue") String spf,
            @ForAll("anyValue") String inbound, @ForAll("anyValue") String port, @ForAll("anyValue") String rate,
            @ForAll boolean withSecret, @ForAll boolean withInboundSecret) {
        Map<String, String> env = new HashMap<>();
        env.put("MAILJET_API_KEY", key);
        env.put("MAILJET_API_URL", url);
        env.put("MAILJET_MX_HOSTS", mx);
        env.put("MAILJET_SPF_INCLUDE", spf);
        env.put("MAILJET_INBOUND_URL", inbound);
        env.put("MAILJET_SMTP_PORT", port);
        env.put("MAILJET_REQUESTS_PER_SECOND", rate);
        if (withSecret) {
            env.put("MAILJET_API_SECRET", SECRET_MARKER);
        }
        if (withInboundSecret) {
            env.put("MAILJET_INBOUND_SECRET", INBOUND_MARKER + (key.length() % 2 == 0 ? "" : "/x"));
        }
        try {
            MailjetSettings settings = MailjetSettings.from(ConfigSource.of(env));
            assertThat(settings.toString()).doesNotContain(SECRET_MARKER).doesNotContain(INBOUND_MARKER);
        } catch (ConfigurationException e) {
            assertThat(e.problems()).isNotEmpty();
            assertThat(e.getMessage()).doesNotContain(SECRET_MARKER).doesNotContain(INBOUND_MARKER);
        }
    }

    @Property(tries = 10_000)
    void anyCredentialsModeGivesAModeOrOneConfigurationErrorNamingTheVariable(
            @ForAll("modeValue") String mode, @ForAll("anyValue") String population) {
        Map<String, String> env = new HashMap<>();
        env.put(MailjetCredentialsMode.MODE, mode);
        env.put(MailjetCredentialsMode.POPULATION, population);
        try {
            MailjetCredentialsMode m = MailjetCredentialsMode.from(ConfigSource.of(env));
            String expected = mode.isBlank() ? "account" : mode.strip().toLowerCase(java.util.Locale.ROOT);
            assertThat(m.configName()).isEqualTo(expected);
            if (m instanceof MailjetCredentialsMode.Population p) {
                assertThat(p.name()).isEqualTo(population.strip()).matches("[A-Za-z0-9._-]{1,100}");
                assertThat(p.keyName()).isEqualTo("azt3knet-population-" + p.name());
            }
        } catch (ConfigurationException e) {
            assertThat(e.problems()).singleElement().asString()
                    .matches("^(MAILJET_CREDENTIALS_MODE|MAILJET_POPULATION) .*").doesNotContain("\n", "\r");
        }
    }

    @Provide
    Arbitrary<String> modeValue() {
        return Arbitraries.oneOf(anyValue(), Arbitraries.of("account", "population", "agent", " Population ", "AGENT"));
    }
}
