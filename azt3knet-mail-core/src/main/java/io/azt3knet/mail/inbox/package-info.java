/**
 * Reading an agent's mailbox, provider-neutral: {@link io.azt3knet.mail.inbox.MessageStore} lists
 * {@link io.azt3knet.mail.inbox.MessageSummary summaries}, opens a {@link io.azt3knet.mail.inbox.StoredMessage},
 * marks it seen, deletes it, waits for a matching message with a real timeout, groups a conversation, prunes
 * old mail, and pushes every stored message to named {@link io.azt3knet.mail.inbox.MessageListener listeners}
 * with a persisted cursor. {@link io.azt3knet.mail.inbound.maildir.MaildirMessageStore} is the implementation
 * over the Maildirs that {@link io.azt3knet.mail.inbound.maildir.MaildirSink} writes.
 */
@NullMarked
package io.azt3knet.mail.inbox;

import org.jspecify.annotations.NullMarked;
