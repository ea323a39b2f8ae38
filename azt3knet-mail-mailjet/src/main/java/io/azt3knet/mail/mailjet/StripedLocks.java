package io.azt3knet.mail.mailjet;

/** A fixed set of monitors; calls for the same key (an address, a sender) share one and are serialized. */
final class StripedLocks {

    private static final int STRIPES = 64;

    private final Object[] stripes = new Object[STRIPES];

    StripedLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /** @return the monitor for {@code key} */
    Object of(String key) {
        return stripes[Math.floorMod(key.hashCode(), STRIPES)];
    }
}
