package io.azt3knet.mail.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsReaderTest {

    @TempDir
    Path dir;

    @Test
    void precedenceIsBuilderThenSystemPropertiesThenEnvironmentThenDotEnv() throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, "# comment\nA=from-file\nB=from-file\nC=from-file\nD=from-file\nQUOTED=\"x y\"\n");
        Files.setPosixFilePermissions(env, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String prop = "AZT3KNET_TEST_" + System.nanoTime();
        System.setProperty("B", "from-property");
        System.setProperty(prop, "p");
        try {
            ConfigSource source = ConfigSource.builder()
                    .put("A", "from-builder")
                    .environment(Map.of("B", "from-env", "C", "from-env", "EMPTY", "  "))
                    .dotEnv(env)
                    .build();
            assertThat(source.get("A")).contains("from-builder");
            assertThat(source.get("B")).contains("from-property");
            assertThat(source.get("C")).contains("from-env");
            assertThat(source.get("D")).contains("from-file");
            assertThat(source.get("QUOTED")).contains("x y");
            assertThat(source.get("EMPTY")).isEmpty();
            assertThat(source.get("NOPE")).isEmpty();
        } finally {
            System.clearProperty("B");
            System.clearProperty(prop);
        }
    }

    @Test
    void aMissingExplicitDotEnvIsAConfigurationError() {
        assertThatThrownBy(() -> ConfigSource.builder().dotEnv(dir.resolve("missing.env")).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("missing.env");
    }

    @Test
    void aMalformedDotEnvNamesTheFileTheLineAndWhatIsWrongWithoutQuotingIt() throws Exception {
        Map<String, String> cases = Map.of(
                "# header\nDESEC_DOMAIN=a.example\n\nMAILJET_API_SECRET hunter2-secret\n", "line 4: expected NAME=value, found no '='",
                "A=1\nMY SECRET=hunter2-secret\n", "line 2: the name before '=' may hold only letters",
                "A=1\nB=\"hunter2-secret\n\nC=3\n", "line 2: the value opened with '\"' there is never closed",
                "A=\"hun\"ter2-secret\"\n", "line 1: the double-quoted value of A holds an unescaped '\"'");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path env = dir.resolve("broken-" + Math.abs(c.getKey().hashCode()) + ".env");
            Files.writeString(env, c.getKey());
            assertThatThrownBy(() -> ConfigSource.builder().dotEnv(env).build())
                    .as(c.getKey())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining(env.toString())
                    .hasMessageContaining(c.getValue())
                    .hasMessageNotContaining("hunter2");
        }
    }

    @Test
    void aMultiLineDoubleQuotedValueIsNotAProblem() {
        assertThat(DotEnvLines.firstProblem(List.of("A=\"first", "second\"", "B=2"))).isEmpty();
    }

    @Test
    void oneErrorListsEveryMissingOrMalformedVariable() {
        SettingsReader r = new SettingsReader(ConfigSource.of(Map.of(
                "BAD_URL", "http://api.example.org/v1",
                "BAD_INT", "many",
                "BAD_DOMAIN", "not a domain",
                "BAD_DURATION", "soon")));
        r.secret("TOKEN");
        r.required("NEEDED");
        r.endpoint("BAD_URL", "https://ok.example.org");
        r.integer("BAD_INT", 1, 0, 10);
        r.domain("BAD_DOMAIN");
        r.duration("BAD_DURATION", Duration.ofHours(1));
        assertThatThrownBy(r::validate)
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).hasSize(6))
                .hasMessageContaining("TOKEN is required")
                .hasMessageContaining("NEEDED is required")
                .hasMessageContaining("BAD_URL must use https://")
                .hasMessageContaining("BAD_INT must be an integer")
                .hasMessageContaining("BAD_DOMAIN is not a valid domain")
                .hasMessageContaining("BAD_DURATION must be a positive duration");
    }

    @Test
    void endpointsMustBeHttpsExceptOnLoopback() {
        assertThat(SettingsReader.endpointProblem("https://api.mailjet.com")).isEmpty();
        assertThat(SettingsReader.endpointProblem("http://127.0.0.1:8080/v1")).isEmpty();
        assertThat(SettingsReader.endpointProblem("http://localhost:8080")).isEmpty();
        assertThat(SettingsReader.endpointProblem("http://[::1]:8080")).isEmpty();
        assertThat(SettingsReader.endpointProblem("http://10.0.0.1")).isPresent();
        assertThat(SettingsReader.endpointProblem("http://localhost.evil.example")).isPresent();
        assertThat(SettingsReader.endpointProblem("ftp://example.org")).isPresent();
        assertThat(SettingsReader.endpointProblem("not a url")).isPresent();
        assertThat(SettingsReader.endpointProblem("https://user:pw@api.example.org")).get().asString()
                .contains("must not carry credentials").doesNotContain("pw");
    }

    @Test
    void secretsNeverPrintButReadersStillGetThem() {
        SettingsReader r = new SettingsReader(ConfigSource.of(Map.of("TOKEN", "abc123")));
        var secret = r.secret("TOKEN");
        r.validate();
        assertThat(secret.reveal()).isEqualTo("abc123");
        assertThat(secret.toString()).doesNotContain("abc123");
        assertThat(secret.matches("abc123")).isTrue();
        assertThat(secret.matches("abc124")).isFalse();
    }

    @Test
    void readsListsDurationsAndIntegersWithDefaults() {
        SettingsReader r = new SettingsReader(ConfigSource.of(Map.of(
                "HOSTS", " a.example , b.example,, ", "EVERY", "90s", "ISO", "PT24H", "PORT", "465")));
        assertThat(r.list("HOSTS", List.of("x"))).containsExactly("a.example", "b.example");
        assertThat(r.list("NONE", List.of("x"))).containsExactly("x");
        assertThat(r.duration("EVERY", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
        assertThat(r.duration("ISO", Duration.ZERO)).isEqualTo(Duration.ofHours(24));
        assertThat(r.integer("PORT", 587, 1, 65535)).isEqualTo(465);
        assertThat(r.integer("UNSET", 587, 1, 65535)).isEqualTo(587);
        r.validate();
    }

    @Test
    void provisioningSettingsCheckThePrefixAgainstTheLocalPartLimit() {
        ProvisioningSettings ok = ProvisioningSettings.from(ConfigSource.of(Map.of(
                "DESEC_DOMAIN", "Agents.Example.org", "AZT3KNET_AGENT_MAIL_PREFIX", "bot")));
        assertThat(ok.domain()).isEqualTo("agents.example.org");
        assertThat(ok.address("jane.doe.123.20241005123045", true).value())
                .isEqualTo("bot.jane.doe.123.20241005123045@agents.example.org");
        assertThat(ok.address("jane.doe.123.20241005123045", false).localPart()).startsWith("jane");

        assertThatThrownBy(() -> ProvisioningSettings.from(ConfigSource.of(Map.of(
                "AZT3KNET_AGENT_MAIL_PREFIX", "x".repeat(ProvisioningSettings.MAX_PREFIX_LENGTH + 1)))))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).hasSize(2))
                .hasMessageContaining("DESEC_DOMAIN is required")
                .hasMessageContaining("AZT3KNET_AGENT_MAIL_PREFIX must have at most 11 characters");
        assertThatThrownBy(() -> ProvisioningSettings.from(ConfigSource.of(Map.of(
                "DESEC_DOMAIN", "a.example", "AZT3KNET_AGENT_MAIL_PREFIX", "bad\r\nBcc: x"))))
                .hasMessageContaining("AZT3KNET_AGENT_MAIL_PREFIX must be lower-case");
    }

    @Test
    void refusesADotEnvThatSomeoneElseCouldHaveWritten() throws Exception {
        Path env = Files.writeString(dir.resolve("planted.env"), "MAILJET_API_URL=https://collector.example\n");
        for (String mode : List.of("rw-rw----", "rw-r--rw-", "rw-rw-rw-")) {
            Files.setPosixFilePermissions(env, java.nio.file.attribute.PosixFilePermissions.fromString(mode));

            assertThatThrownBy(() -> ConfigSource.builder().environment(Map.of()).dotEnv(env).build())
                    .as(mode).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("writable by").hasMessageContaining("chmod 600")
                    .hasMessageNotContaining("collector");
        }
        Files.setPosixFilePermissions(env, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(ConfigSource.builder().environment(Map.of()).dotEnv(env).build().get("MAILJET_API_URL")).isPresent();
    }

    @Test
    void refusesADotEnvOwnedByAnotherUser() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "only root can give a file away");
        Path env = Files.writeString(dir.resolve("other.env"), "A=b\n");
        java.nio.file.attribute.UserPrincipal nobody;
        try {
            nobody = env.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no user 'nobody' on this machine");
            return;
        }
        Files.setOwner(env, nobody);

        assertThatThrownBy(() -> ConfigSource.builder().environment(Map.of()).dotEnv(env).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("owned by nobody");
    }
}
