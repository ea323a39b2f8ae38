/**
 * Plumbing of the Mailjet module, not API: lenient reading of Mailjet's JSON and its error shapes.
 */
@NullMarked
package io.azt3knet.mail.mailjet.internal;

import org.jspecify.annotations.NullMarked;
