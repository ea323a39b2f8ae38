/**
 * Azt3kNet Mail for Mailjet: the REST client, {@link io.azt3knet.mail.mailjet.MailjetProvisioner} (catch-all
 * sender, DNS values, parse routes, SMTP credentials) and {@link io.azt3knet.mail.mailjet.MailjetInboundParser}.
 */
module io.azt3knet.mail.mailjet {
    requires transitive io.azt3knet.mail.core;
    requires org.slf4j;

    exports io.azt3knet.mail.mailjet;

    provides io.azt3knet.mail.spi.MailboxProvisionerFactory with io.azt3knet.mail.mailjet.MailjetProvisionerFactory;
}
