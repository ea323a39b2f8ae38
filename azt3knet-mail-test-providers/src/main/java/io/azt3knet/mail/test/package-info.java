/**
 * The test kit: abstract contract tests that every {@link io.azt3knet.mail.provisioning.MailboxProvisioner} and
 * {@link io.azt3knet.mail.dns.DnsManager} must pass. Extend one in your own test sources and implement its
 * factory methods; JUnit 5 runs the inherited cases.
 */
@NullMarked
package io.azt3knet.mail.test;

import org.jspecify.annotations.NullMarked;
