/**
 * Azt3kNet Mail sandbox: the local provider. {@link io.azt3knet.mail.sandbox.Sandbox} runs an SMTP server and core's
 * inbound webhook on loopback; {@link io.azt3knet.mail.sandbox.SandboxMailboxProvisioner} and
 * {@link io.azt3knet.mail.sandbox.SandboxDnsManager} persist their state in the sandbox directory. The JUnit 5
 * extension that gives tests a fresh sandbox is in the test kit ({@code azt3knet-mail-test}).
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

    exports io.azt3knet.mail.sandbox;
}
