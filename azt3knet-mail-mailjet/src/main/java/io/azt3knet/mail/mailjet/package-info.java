/**
 * The Mailjet provider: {@link io.azt3knet.mail.mailjet.MailjetProvisioner} (catch-all sender, DNS requirements
 * and checks, one inbound parse route per agent address), {@link io.azt3knet.mail.mailjet.MailjetInboundParser}
 * (the Parse API's webhook payload), the typed {@link io.azt3knet.mail.mailjet.MailjetClient} they share, and
 * {@link io.azt3knet.mail.mailjet.MailjetSettings}.
 */
@NullMarked
package io.azt3knet.mail.mailjet;

import org.jspecify.annotations.NullMarked;
