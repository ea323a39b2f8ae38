/** Small helpers shared by core and the provider modules; not part of the API. */
@NullMarked
package io.azt3knet.mail.internal.util;

import org.jspecify.annotations.NullMarked;
