package io.azt3knet.mail.sandbox;

import io.azt3knet.mail.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.subethamail.smtp.server.SSLSocketCreator;

/**
 * The sandbox's TLS identity, made on first start and kept in {@code <dir>/tls/}: a self-signed ECDSA P-256
 * certificate for {@code localhost} and {@code 127.0.0.1} (valid one year, made anew when expired), its key in
 * {@code server.p12} (mode 0600, with a random password in {@code server.password}, 0600), and what clients trust:
 * {@code truststore.p12} holding exactly that certificate (password {@value #TRUSTSTORE_PASSWORD}: a truststore holds
 * nothing secret, the password only guards its integrity) and the same certificate as {@code certificate.pem}.
 * Clients keep checking the host name: they must connect to {@code localhost} or {@code 127.0.0.1}.
 */
final class SandboxTls {

    /** The truststore's password; public by nature (a truststore holds only the public certificate). */
    static final String TRUSTSTORE_PASSWORD = "changeit";
    static final String TRUSTSTORE_FILE = "truststore.p12";
    static final String CERTIFICATE_FILE = "certificate.pem";

    private static final String KEY_ALIAS = "sandbox";
    private static final Duration VALIDITY = Duration.ofDays(365);

    private final Path dir;
    private final KeyStore keyStore;
    private final char[] keyPassword;
    private final X509Certificate certificate;

    private SandboxTls(Path dir, KeyStore keyStore, char[] keyPassword, X509Certificate certificate) {
        this.dir = dir;
        this.keyStore = keyStore;
        this.keyPassword = keyPassword;
        this.certificate = certificate;
    }

    /**
     * Loads the sandbox's certificate, or makes one when there is none or it expired.
     *
     * @param sandboxDir the sandbox directory
     * @return the TLS identity
     */
    static synchronized SandboxTls loadOrCreate(Path sandboxDir) {
        Path dir = SandboxFiles.directory(sandboxDir.resolve("tls"));
        try {
            Optional<SandboxTls> existing = load(dir);
            if (existing.isPresent()) {
                return existing.get();
            }
            return create(dir);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new ConfigurationException("cannot prepare the sandbox's TLS certificate in " + dir + ": "
                    + e.getMessage() + "; delete that directory to have a new certificate made");
        }
    }

    private static Optional<SandboxTls> load(Path dir) throws GeneralSecurityException, IOException {
        Optional<byte[]> store = SandboxFiles.read(dir.resolve("server.p12"));
        Optional<byte[]> password = SandboxFiles.read(dir.resolve("server.password"));
        if (store.isEmpty() || password.isEmpty() || !Files.exists(dir.resolve(TRUSTSTORE_FILE))) {
            return Optional.empty();
        }
        char[] pw = new String(password.get(), StandardCharsets.US_ASCII).strip().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(new ByteArrayInputStream(store.get()), pw);
        X509Certificate cert = (X509Certificate) ks.getCertificate(KEY_ALIAS);
        try {
            cert.checkValidity(Date.from(Instant.now().plus(Duration.ofDays(1))));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            return Optional.empty();
        }
        return Optional.of(new SandboxTls(dir, ks, pw, cert));
    }

    private static SandboxTls create(Path dir) throws GeneralSecurityException, IOException, OperatorCreationException {
        SecureRandom random = new SecureRandom();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair pair = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=localhost, O=Azt3kNet Mail sandbox");
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, random).abs(),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));

        byte[] pwBytes = new byte[24];
        random.nextBytes(pwBytes);
        char[] pw = Base64.getUrlEncoder().withoutPadding().encodeToString(pwBytes).toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(KEY_ALIAS, pair.getPrivate(), pw, new java.security.cert.Certificate[] {cert});
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(KEY_ALIAS, cert);

        SandboxFiles.write(dir.resolve("server.password"), new String(pw).getBytes(StandardCharsets.US_ASCII));
        SandboxFiles.write(dir.resolve("server.p12"), store(ks, pw));
        SandboxFiles.write(dir.resolve(CERTIFICATE_FILE), pem(cert).getBytes(StandardCharsets.US_ASCII));
        SandboxFiles.write(dir.resolve(TRUSTSTORE_FILE), store(trust, TRUSTSTORE_PASSWORD.toCharArray()));
        return new SandboxTls(dir, ks, pw, cert);
    }

    private static byte[] store(KeyStore ks, char[] password) throws GeneralSecurityException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ks.store(out, password);
        return out.toByteArray();
    }

    private static String pem(X509Certificate cert) throws GeneralSecurityException {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    /** @return the truststore file clients use */
    Path trustStoreFile() {
        return dir.resolve(TRUSTSTORE_FILE);
    }

    /** @return the certificate as PEM, for clients outside the JVM */
    Path certificateFile() {
        return dir.resolve(CERTIFICATE_FILE);
    }

    /** @return the sandbox's certificate */
    X509Certificate certificate() {
        return certificate;
    }

    /**
     * Loads a sandbox truststore file.
     *
     * @param file {@code <dir>/tls/truststore.p12}
     * @return the store, trusting exactly the sandbox's certificate
     */
    static KeyStore loadTrustStore(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(in, TRUSTSTORE_PASSWORD.toCharArray());
            return trust;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException("cannot read the sandbox truststore " + file + ": " + e.getMessage()
                    + "; start the sandbox once to create it");
        }
    }

    /** @return a truststore holding exactly this certificate */
    KeyStore trustStore() {
        return loadTrustStore(trustStoreFile());
    }

    /** @return the server side of STARTTLS: TLS 1.3 and 1.2 only, no name lookups */
    SSLSocketCreator startTls() {
        SSLContext context;
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, keyPassword);
            context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException("cannot use the sandbox's TLS key: " + e.getMessage()
                    + "; delete <dir>/tls to have a new one made");
        }
        return socket -> {
            InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, remote.getHostString(),
                    socket.getPort(), true);
            tls.setUseClientMode(false);
            tls.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            return tls;
        };
    }
}
