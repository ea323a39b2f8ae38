package io.azt3knet.mail.internal.util;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Message digests every Java runtime has. */
public final class Digests {

    private Digests() {
    }

    /** @return a new SHA-256 digest */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
