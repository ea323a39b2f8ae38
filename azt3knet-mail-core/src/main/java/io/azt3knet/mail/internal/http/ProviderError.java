package io.azt3knet.mail.internal.http;

import java.util.Objects;
import java.util.Optional;

/**
 * A provider's error, decoded from an error response.
 *
 * @param message the provider's message (never empty; the status text when the body had none)
 * @param requestId the provider's request or error id, if given
 */
public record ProviderError(String message, Optional<String> requestId) {

    /** Validates that nothing is null. */
    public ProviderError {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(requestId, "requestId");
    }
}
