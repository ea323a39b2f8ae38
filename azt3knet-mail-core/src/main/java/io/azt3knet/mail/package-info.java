/**
 * Azt3kNet Mail: real e-mail identities for software agents.
 *
 * <p>The library meets in four seams: {@link io.azt3knet.mail.naming.MailboxNamer} (agent to address),
 * {@link io.azt3knet.mail.provisioning.MailboxProvisioner} (mailboxes at a mail provider),
 * {@link io.azt3knet.mail.dns.DnsManager} (the DNS that mail needs) and
 * {@link io.azt3knet.mail.inbound.InboundParser} (a provider's inbound webhook payload to a message).
 * This package holds what all of them share: {@link io.azt3knet.mail.Secret} and the exception hierarchy
 * rooted at {@link io.azt3knet.mail.MailException}.
 */
@NullMarked
package io.azt3knet.mail;

import org.jspecify.annotations.NullMarked;
