package io.azt3knet.mail.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.azt3knet.mail.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile {@code .env} files: whatever the lines, reading them ends in the values or in one typed
 * {@link ConfigurationException}, and that exception never quotes a value (a value may be a secret).
 */
class DotEnvPropertiesTest {

    /** A secret-looking value; '%' cannot be part of a variable name, the only text of a line an error may quote. */
    private static final String SECRET = "s3cr%t-Zq9";

    @Provide
    Arbitrary<List<String>> dotEnvLines() {
        Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.of("MAILJET_API_KEY", "DESEC_TOKEN", "a.b-c", "X"),
                Arbitraries.strings().withChars("AZaz09_.- $\"'#=").ofMinLength(0).ofMaxLength(6));
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of(SECRET, "'" + SECRET + "'", "\"" + SECRET + "\"", "\"" + SECRET,
                        "\"a \\\" " + SECRET + "\"", "\"a \" " + SECRET + "\"", SECRET + " # comment", "",
                        "'" + SECRET, SECRET + "\"", "\"" + SECRET + "\n" + SECRET + "\""),
                Arbitraries.strings().withChars("ab %=#'\"\\\t").ofMaxLength(8).map(s -> s + SECRET));
        Arbitrary<String> entry = Combinators.combine(Arbitraries.of("", "export ", "  "), name,
                Arbitraries.of("=", " = ", "", "=="), value).as((prefix, n, eq, v) -> prefix + n + eq + v);
        Arbitrary<String> other = Arbitraries.of("", "   ", "# " + SECRET, "//// " + SECRET, SECRET, "=" + SECRET,
                "\"", "'\"'");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, entry), net.jqwik.api.Tuple.of(1, other))
                .list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 2_000)
    void endsInValuesOrOneTypedErrorThatNeverQuotesAValue(@ForAll("dotEnvLines") List<String> lines) throws Exception {
        Path file = Files.createTempFile("dotenv-property", ".env"); // 0600: the ownership check passes
        try {
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);

            Throwable thrown = read(file);

            if (thrown != null) {
                assertThat(thrown).isInstanceOf(ConfigurationException.class);
                assertThat(thrown.getMessage()).contains(file.toString()).contains("line ")
                        .doesNotContain(SECRET).doesNotContain("s3cr");
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @net.jqwik.api.Example
    void aValueThatIsALoneQuoteBeforeAHashCommentIsNamedByItsLine() throws Exception {
        // found by the property above (seed 1163305024577324871): the reader refuses it, and the error said no line
        Throwable thrown = readLines("MAILJET_API_KEY=\"#" + SECRET + "\nMAILJET_API_KEY=" + SECRET + "\"\n");

        assertThat(thrown).isInstanceOf(ConfigurationException.class).hasMessageContaining("line 1: the value of "
                + "MAILJET_API_KEY is a lone '\"'").message().doesNotContain(SECRET);
    }

    @net.jqwik.api.Example
    void aValueEndingWithAStrayQuoteIsNamedByItsLineNotSilentlyRefused() throws Exception {
        // found by the property above: the library refused it, and the error could not say which line
        Throwable thrown = readLines("# keys\nMAILJET_API_KEY=" + SECRET + "\"\n");

        assertThat(thrown).isInstanceOf(ConfigurationException.class).hasMessageContaining("line 2: the value of "
                + "MAILJET_API_KEY ends with '\"' but does not start with one").message().doesNotContain(SECRET);
    }

    /** Reads a temporary {@code .env} file holding the text; returns what reading it threw, or null. */
    private static Throwable readLines(String text) throws Exception {
        Path file = Files.createTempFile("dotenv-example", ".env"); // 0600: the ownership check passes
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return read(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Reads the file as the only configuration source; returns what that threw, or null. */
    private static Throwable read(Path file) {
        return catchThrowable(() -> ConfigSource.builder().environment(false).systemProperties(false).dotEnv(file)
                .build());
    }
}
