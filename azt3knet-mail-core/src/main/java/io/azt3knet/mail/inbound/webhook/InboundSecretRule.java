package io.azt3knet.mail.inbound.webhook;

import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.Secret;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The strength rule for the shared inbound secret, checked everywhere the secret is read: by the provider's
 * settings, by {@link InboundWebhookHandler.Builder#secret(Secret)} and by the command line.
 *
 * <p>The secret travels as the password in the user-info of the route URL the provider posts to; whether the
 * provider percent-decodes it before building its Basic header is not documented, so only characters that need
 * no encoding are accepted (RFC 3986 "unreserved": {@code A-Z a-z 0-9 . _ ~ -}); and at least
 * {@value #MIN_LENGTH} of them, since it is the only thing that authenticates inbound calls.
 * {@code openssl rand -hex 24} gives a good one.
 */
public final class InboundSecretRule {

    /** The fewest characters a secret may have. */
    public static final int MIN_LENGTH = 16;

    /** The conventional variable holding the secret. */
    public static final String VARIABLE = "MAILJET_INBOUND_SECRET";

    private static final Pattern UNRESERVED = Pattern.compile("[A-Za-z0-9._~-]+");

    private InboundSecretRule() {
    }

    /**
     * @param variable the name the secret was read from, for the message
     * @param secret the secret
     * @return what is wrong with it (naming the variable, never showing the value), or empty when it is strong
     */
    public static Optional<String> problem(String variable, Secret secret) {
        Objects.requireNonNull(variable, "variable");
        String v = secret.reveal();
        if (v.length() < MIN_LENGTH || !UNRESERVED.matcher(v).matches()) {
            return Optional.of(variable + " must be at least " + MIN_LENGTH + " characters of A-Z, a-z, 0-9, '.', "
                    + "'_', '~', '-' (it travels unencoded in the route URL); e.g. openssl rand -hex 24");
        }
        return Optional.empty();
    }

    /**
     * @param variable the name the secret was read from, for the message
     * @param secret the secret
     * @return the same secret, once checked
     * @throws ConfigurationException naming the variable when the secret is too weak
     */
    public static Secret require(String variable, Secret secret) {
        problem(variable, secret).ifPresent(p -> {
            throw new ConfigurationException(p);
        });
        return secret;
    }
}
