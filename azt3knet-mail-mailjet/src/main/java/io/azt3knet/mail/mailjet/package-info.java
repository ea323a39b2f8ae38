/** The mailjet provider module. */
@NullMarked
package io.azt3knet.mail.mailjet;

import org.jspecify.annotations.NullMarked;
