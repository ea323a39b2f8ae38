package io.azt3knet.mail.dns;

import java.util.Objects;
import java.util.Optional;

/**
 * One managed record set in a {@link DnsPlan}: what it is now, what it will be, and what applying the
 * plan does to it.
 *
 * @param key the record set
 * @param action what applying does
 * @param before the live record set, empty if it does not exist
 * @param after the record set after applying
 */
public record DnsChange(DnsRecordSet.Key key, Action action, Optional<DnsRecordSet> before, DnsRecordSet after) {

    /** What applying a plan does to one record set. */
    public enum Action {
        /** The set does not exist and is created. */
        CREATE,
        /** The set exists with other records or TTL and is replaced by {@code after}. */
        UPDATE,
        /** The set is already as desired; nothing is written. */
        UNCHANGED,
        /**
         * The zone holds something the plan must not overwrite at this name (an MX pointing at another mail
         * service, a CNAME); nothing is written, and a plan holding a conflict is refused as a whole.
         * {@code before} is the conflicting live set of this key when there is one, {@code after} what the
         * plan wanted.
         */
        CONFLICT
    }

    /** Validates consistency between the action and the values. */
    public DnsChange {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        if (!after.key().equals(key) || before.map(b -> !b.key().equals(key)).orElse(false)) {
            throw new IllegalArgumentException("record sets do not match key " + key);
        }
        if (action != Action.CONFLICT && (action == Action.CREATE) != before.isEmpty()) {
            throw new IllegalArgumentException(action + " of " + key + (before.isEmpty() ? " without" : " with")
                    + " a live record set");
        }
    }

    /** @return whether applying writes this set */
    public boolean isWrite() {
        return action == Action.CREATE || action == Action.UPDATE;
    }
}
