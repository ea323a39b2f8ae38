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

        /** @param d domain @return this */
        public Builder domain(String d) { return this; }
        /** @param p prefix @return this */
        public Builder prefix(String p) { return this; }
        /** @param s seed @return this */
        public Builder seed(long s) { return this; }
        /** @param c clock @return this */
        public Builder clock(java.time.Clock c) { return this; }
        /** @return the namer */
        public MailboxNamer build() { throw new UnsupportedOperationException("in progress"); }
    }
}
