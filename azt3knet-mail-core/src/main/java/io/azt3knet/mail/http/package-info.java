/**
 * The HTTP seam of the provider clients: {@link io.azt3knet.mail.http.HttpSender}, where an application plugs in
 * its own client, a proxy, metrics or a test double.
 */
@NullMarked
package io.azt3knet.mail.http;

import org.jspecify.annotations.NullMarked;
