/**
 * Receiving mail: {@link io.azt3knet.mail.inbound.InboundParser} turns a provider's webhook payload into a
 * provider-neutral {@link io.azt3knet.mail.inbound.InboundMessage}.
 */
@NullMarked
package io.azt3knet.mail.inbound;

import org.jspecify.annotations.NullMarked;
