/**
 * {@link io.azt3knet.mail.sandbox.junit.SandboxExtension}: a fresh running sandbox per JUnit 5 test.
 *
 * <p>It lives in the sandbox module, behind an optional {@code junit-jupiter-api} dependency, rather than in the
 * test kit {@code azt3knet-mail-test}: the sandbox's own tests run the kit's provider contract tests, so the kit
 * cannot depend on the sandbox without a dependency cycle, and every user of the kit would otherwise pull in the SMTP
 * server and BouncyCastle. Applications that use the extension have JUnit already; others never load this package.
 */
@NullMarked
package io.azt3knet.mail.sandbox.junit;

import org.jspecify.annotations.NullMarked;
