/**
 * Mailboxes at a mail provider: {@link io.azt3knet.mail.provisioning.MailboxProvisioner}, the values it
 * trades in, and {@link io.azt3knet.mail.provisioning.InMemoryMailboxProvisioner} for tests and offline runs.
 */
@NullMarked
package io.azt3knet.mail.provisioning;

import org.jspecify.annotations.NullMarked;
