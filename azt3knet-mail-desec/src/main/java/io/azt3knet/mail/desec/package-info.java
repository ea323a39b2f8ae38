/** The desec provider module. */
@NullMarked
package io.azt3knet.mail.desec;

import org.jspecify.annotations.NullMarked;
