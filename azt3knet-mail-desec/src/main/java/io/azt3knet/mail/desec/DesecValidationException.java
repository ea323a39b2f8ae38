package io.azt3knet.mail.desec;

import io.azt3knet.mail.ProviderServiceException;
import io.azt3knet.mail.dns.DnsRecordSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * deSEC refused a bulk record-set write (HTTP 400); nothing was written, since bulk requests are atomic.
 * {@link #errors()} names each record set that deSEC objected to, with its field errors, e.g.
 * {@code mail A: records: IP address 10.0.0.1 not allowed.} Fix those record sets and plan again.
 */
public final class DesecValidationException extends ProviderServiceException {

    private static final long serialVersionUID = 1L;

    private final List<RRsetError> errors;

    /**
     * @param operation what was attempted
     * @param errors the record sets deSEC refused, with its messages
     */
    public DesecValidationException(String operation, List<RRsetError> errors) {
        super(ProviderServiceException.builder("desec", operation, 400).message(render(errors)));
        this.errors = List.copyOf(errors);
    }

    private static String render(List<RRsetError> errors) {
        StringBuilder sb = new StringBuilder("deSEC refused ").append(errors.size()).append(" record set(s); nothing was written:");
        errors.forEach(e -> sb.append(" [").append(e.key()).append(": ").append(e.message()).append(']'));
        return sb.toString();
    }

    /** @return each refused record set with deSEC's messages, in request order */
    public List<RRsetError> errors() {
        return errors;
    }

    /**
     * deSEC's objection to one record set of a bulk write.
     *
     * @param key the record set
     * @param message deSEC's field errors, e.g. {@code ttl: Ensure this value is greater than or equal to 3600.}
     */
    public record RRsetError(DnsRecordSet.Key key, String message) {

        /** Validates that nothing is null. */
        public RRsetError {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(message, "message");
        }
    }
}
