package io.azt3knet.mail;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret value (API secret, token, password, shared webhook secret) that never prints.
 *
 * <p>{@link #toString()} always returns {@code "Secret[****]"}; the value is only reachable through
 * {@link #reveal()}, which callers use at the last moment (an {@code Authorization} header, an SMTP login).
 * {@link #matches(String)} compares in constant time, for authenticating callers.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * Wraps a secret value.
     *
     * @param value the secret; must not be empty
     * @return the secret
     * @throws IllegalArgumentException if {@code value} is empty
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
        return new Secret(value);
    }

    /** @return the secret value; never log or print it */
    public String reveal() {
        return value;
    }

    /**
     * Compares a candidate with this secret in time that does not depend on where they differ.
     *
     * @param candidate the value a caller presented
     * @return whether it equals this secret
     */
    public boolean matches(String candidate) {
        Objects.requireNonNull(candidate, "candidate");
        return MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && other.matches(value);
    }

    @Override
    public int hashCode() {
        return 0; // a hash would leak information about the value; secrets are rarely hashed
    }

    @Override
    public String toString() {
        return "Secret[****]";
    }
}
