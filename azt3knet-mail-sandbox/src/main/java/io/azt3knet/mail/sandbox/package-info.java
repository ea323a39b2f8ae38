/**
 * The sandbox: the whole mail loop on one machine, with no provider account and no network beyond loopback,
 * through the code production runs.
 *
 * <ul>
 *   <li>{@link io.azt3knet.mail.sandbox.SandboxMailboxProvisioner} and
 *       {@link io.azt3knet.mail.sandbox.SandboxDnsManager}: the core seams, with their state (mailboxes with each
 *       agent's own SMTP password, the zone) persisted in the sandbox directory;</li>
 *   <li>{@link io.azt3knet.mail.sandbox.Sandbox}: the running sandbox, an SMTP server on loopback whose mail for
 *       sandbox mailboxes is POSTed, as Mailjet's Parse API payload, to core's inbound webhook with the production
 *       {@code MailjetInboundParser} and a per-recipient Maildir;</li>
 *   <li>{@link io.azt3knet.mail.sandbox.ChaosSettings}: seeded delays, duplicates, webhook 5xx and SMTP 4xx.</li>
 * </ul>
 *
 * <h2>Why SubEthaSMTP</h2>
 * Two embeddable SMTP servers were compared, {@code com.github.davidmoten:subethasmtp} 7.2.0 and GreenMail 2.1.8.
 * GreenMail is a test mail server: SMTP, IMAP and POP3 in front of its own in-memory store, users it creates on
 * the fly, delivery into that store. Using it here would mean working against its design at each point the sandbox
 * needs: a per-recipient verdict at {@code RCPT} (550 for an unknown mailbox, a seeded 451), an answer to
 * {@code DATA} that waits for the webhook, delivery somewhere other than its store. SubEthaSMTP is an SMTP
 * receiving library whose API is exactly those points: a {@code MessageHandler} called at {@code MAIL},
 * {@code RCPT} and {@code DATA} that answers any code by throwing {@code RejectException}; STARTTLS from a socket
 * factory we give it (our certificate, TLS 1.2 and 1.3 only); {@code requireTLS} that refuses every command but
 * {@code EHLO}/{@code NOOP}/{@code QUIT} and hides {@code AUTH} before STARTTLS; {@code requireAuth} with a
 * username/password validator of our own. It is maintained (7.x targets Jakarta Mail 2), small, and brings only
 * {@code guava-mini} (and JSR-305 annotations) beyond what core already has. Its LGPL
 * {@code findbugs-annotations} dependency is excluded (annotations only, not needed at run time).
 *
 * <h2>Why this module depends on the Mailjet module</h2>
 * The design has {@code sandbox -> core} only. The sandbox also uses {@code azt3knet-mail-mailjet}, for one class:
 * {@code MailjetInboundParser}. The sandbox's promise is that a message travels the production path, and the
 * production path for inbound mail is Mailjet's payload read by that parser; a copy of the parser, or a
 * sandbox-specific shortcut to the Maildir, would test something else. The dependency is one way (Mailjet knows
 * nothing of the sandbox) and adds no third-party jar.
 *
 * <h2>Nothing leaves the machine</h2>
 * Both servers bind 127.0.0.1; the webhook client ignores proxy settings; the SMTP server never looks names up
 * (its own host name is {@code localhost}, its {@code Received} header is written without reverse lookup) and never
 * relays: mail for other domains is written to {@code outbox/}. {@code SandboxDnsManager} discovers
 * {@code 127.0.0.1} as the public address without asking anyone.
 */
@NullMarked
package io.azt3knet.mail.sandbox;

import org.jspecify.annotations.NullMarked;
