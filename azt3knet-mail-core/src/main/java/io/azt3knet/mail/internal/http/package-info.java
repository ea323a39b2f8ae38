/**
 * Internal HTTP plumbing shared by the provider modules: JSON over {@code java.net.http} with exactly one
 * retry layer, client-side pacing, redacted DEBUG logging and typed errors. Not a public API: it may change
 * in any release.
 */
@NullMarked
package io.azt3knet.mail.internal.http;

import org.jspecify.annotations.NullMarked;
