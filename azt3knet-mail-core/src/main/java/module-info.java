/**
 * Azt3kNet Mail core: the provider-neutral API (naming, provisioning, DNS plans, sending, inbound webhook, Maildir
 * store and inbox), configuration and the in-memory providers. Provider modules plug in through
 * {@link io.azt3knet.mail.spi}; the {@code internal} packages are shared with them only.
 */
module io.azt3knet.mail.core {
    requires transitive java.net.http;
    requires transitive jakarta.mail;
    requires transitive org.jspecify;
    requires transitive com.fasterxml.jackson.databind;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    requires org.slf4j;
    requires org.eclipse.angus.mail;
    requires com.ibm.icu;
    requires io.github.cdimascio.dotenv.java;

    exports io.azt3knet.mail;
    exports io.azt3knet.mail.bootstrap;
    exports io.azt3knet.mail.config;
    exports io.azt3knet.mail.dns;
    exports io.azt3knet.mail.http;
    exports io.azt3knet.mail.inbound;
    exports io.azt3knet.mail.inbound.maildir;
    exports io.azt3knet.mail.inbound.webhook;
    exports io.azt3knet.mail.inbox;
    exports io.azt3knet.mail.naming;
    exports io.azt3knet.mail.population;
    exports io.azt3knet.mail.provisioning;
    exports io.azt3knet.mail.send;
    exports io.azt3knet.mail.spi;

    exports io.azt3knet.mail.internal.http to io.azt3knet.mail.mailjet, io.azt3knet.mail.desec;
    exports io.azt3knet.mail.internal.mime to io.azt3knet.mail.mailjet, io.azt3knet.mail.sandbox;
    exports io.azt3knet.mail.internal.util to io.azt3knet.mail.mailjet, io.azt3knet.mail.desec,
            io.azt3knet.mail.sandbox;

    uses io.azt3knet.mail.spi.MailboxProvisionerFactory;
    uses io.azt3knet.mail.spi.DnsManagerFactory;
}
