/**
 * Domain bootstrap: the provider's DNS requirements published through the DNS manager, DynDNS refreshed
 * and the provider asked to verify, with a report of every step.
 */
@NullMarked
package io.azt3knet.mail.bootstrap;

import org.jspecify.annotations.NullMarked;
