/**
 * The test kit's sandbox half: {@link io.azt3knet.mail.test.sandbox.SandboxExtension}, a JUnit 5 extension that
 * gives each test a fresh running sandbox. The provider half (contract tests, WireMock fakes) is the automatic
 * module {@code io.azt3knet.mail.test.providers}, which this artifact brings along: WireMock's shaded standalone jar
 * carries another library's module descriptor, so it cannot be required from a named module.
 */
module io.azt3knet.mail.test {
    requires transitive io.azt3knet.mail.core;
    requires transitive io.azt3knet.mail.sandbox;
    requires transitive org.junit.jupiter.api;
    requires static org.jspecify;

    exports io.azt3knet.mail.test.sandbox;
}
