package io.azt3knet.mail.naming;

/** The standard namer. Work in progress: implemented by the naming change. */
public final class StandardMailboxNamer {

    private StandardMailboxNamer() {
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds the standard namer. */
    public static final class Builder {
        private Builder() {
        }
    }
}
