/**
 * Internal MIME building shared by outbound sending and inbound rendering. Not a public API: it may change
 * in any release.
 */
@NullMarked
package io.azt3knet.mail.internal.mime;

import org.jspecify.annotations.NullMarked;
