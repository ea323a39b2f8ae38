/**
 * Mailbox naming: {@link io.azt3knet.mail.naming.MailboxNamer} and its standard implementation,
 * {@code first.last.ddd.yyyyMMddHHmmss@domain}, deterministic and unique within a population.
 */
@NullMarked
package io.azt3knet.mail.naming;

import org.jspecify.annotations.NullMarked;
