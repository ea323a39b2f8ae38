/**
 * Azt3kNet Mail sandbox: the local provider. {@link io.azt3knet.mail.sandbox.Sandbox} runs an SMTP server and core's
 * inbound webhook on loopback; {@link io.azt3knet.mail.sandbox.SandboxMailboxProvisioner} and
 * {@link io.azt3knet.mail.sandbox.SandboxDnsManager} persist their state in the sandbox directory;
 * {@link io.azt3knet.mail.sandbox.junit.SandboxExtension} gives JUnit 5 tests a fresh sandbox.
 */
module io.azt3knet.mail.sandbox {
    requires transitive io.azt3knet.mail.core;
    requires io.azt3knet.mail.mailjet;
    requires org.slf4j;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.util;
    /* SubEthaSMTP 7.2.0 names no module: its automatic name comes from the jar's file name */
    requires subethasmtp;
    requires static org.junit.jupiter.api;

    exports io.azt3knet.mail.sandbox;
    exports io.azt3knet.mail.sandbox.junit;
}
