package io.azt3knet.mail.inbound;

import io.azt3knet.mail.InboundRejectedException;
import java.io.InputStream;

/**
 * Parses a provider's inbound webhook body into an {@link InboundMessage}. Implementations are
 * thread-safe and stream the body rather than holding several copies of it.
 */
public interface InboundParser {

    /**
     * @param body the raw request body; read to its end, not closed
     * @return the message
     * @throws InboundRejectedException with {@link InboundRejectedException.Reason#MALFORMED} for anything
     *     that is not a well-formed payload (never another exception type)
     */
    InboundMessage parse(InputStream body);
}
