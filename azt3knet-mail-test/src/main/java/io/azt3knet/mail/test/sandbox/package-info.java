/**
 * {@link io.azt3knet.mail.test.sandbox.SandboxExtension}: a fresh, running sandbox for JUnit 5 tests (one per test,
 * or one per class), injected as a {@link io.azt3knet.mail.sandbox.Sandbox}, a {@link io.azt3knet.mail.MailAutomation},
 * the agents' inbox ({@link io.azt3knet.mail.inbox.MessageStore}) or an agent's
 * {@link io.azt3knet.mail.provisioning.MailboxCredentials} ({@link io.azt3knet.mail.test.sandbox.SandboxMailbox}).
 */
@NullMarked
package io.azt3knet.mail.test.sandbox;

import org.jspecify.annotations.NullMarked;
