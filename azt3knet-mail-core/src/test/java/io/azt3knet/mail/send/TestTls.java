package io.azt3knet.mail.send;

import java.io.InputStream;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The test certificate for localhost / 127.0.0.1 (see src/test/resources/tls/README.md). */
final class TestTls {

    static final String PASSWORD = "changeit";

    private TestTls() {
    }

    static KeyStore load(String resource) {
        try (InputStream in = TestTls.class.getResourceAsStream(resource.startsWith("/") ? resource : "/tls/" + resource)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            return ks;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the trust store holding only the test certificate */
    static KeyStore trustStore() {
        return load("trust.p12");
    }

    /** @return a server-side context presenting the test certificate */
    static SSLContext serverContext() {
        return serverContext("server.p12");
    }

    /** @param keyStore a PKCS12 resource with password changeit @return a server-side context presenting its key */
    static SSLContext serverContext(String keyStore) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keyStore), PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the path of the server key store, for GreenMail's system property */
    static String serverKeyStorePath() {
        try {
            return java.nio.file.Path.of(TestTls.class.getResource("/tls/server.p12").toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
