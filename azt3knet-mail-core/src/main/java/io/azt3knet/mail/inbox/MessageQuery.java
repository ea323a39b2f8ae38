package io.azt3knet.mail.inbox;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which summaries {@link MessageStore#list} returns: filters (sender, subject, delivered since, unseen only)
 * and a page (offset and limit) of the result, which is ordered newest first. Immutable.
 *
 * <pre>{@code
 * MessageQuery firstPage = MessageQuery.builder().unseenOnly(true).limit(20).build();
 * MessageQuery nextPage = firstPage.toBuilder().offset(20).build();
 * }</pre>
 */
public final class MessageQuery {

    /** The page size when none is given. */
    public static final int DEFAULT_LIMIT = 100;

    private static final MessageQuery ALL = builder().build();

    private final MessageMatch match;
    private final Optional<Instant> since;
    private final boolean unseenOnly;
    private final int offset;
    private final int limit;

    private MessageQuery(Builder b) {
        this.match = b.match;
        this.since = b.since;
        this.unseenOnly = b.unseenOnly;
        this.offset = b.offset;
        this.limit = b.limit;
    }

    /** @return a builder: no filter, offset 0, limit {@value #DEFAULT_LIMIT} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the newest {@value #DEFAULT_LIMIT} messages, no filter */
    public static MessageQuery all() {
        return ALL;
    }

    /** @return a builder holding this query's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.match = match;
        b.since = since;
        b.unseenOnly = unseenOnly;
        b.offset = offset;
        b.limit = limit;
        return b;
    }

    /** @return the sender and subject tests */
    public MessageMatch match() {
        return match;
    }

    /** @return only messages delivered at or after this instant, when present */
    public Optional<Instant> since() {
        return since;
    }

    /** @return whether only unseen messages are returned */
    public boolean unseenOnly() {
        return unseenOnly;
    }

    /** @return how many matching messages (newest first) are skipped */
    public int offset() {
        return offset;
    }

    /** @return the most summaries returned */
    public int limit() {
        return limit;
    }

    /**
     * @param message a summary
     * @return whether it passes every filter (paging aside)
     */
    public boolean test(MessageSummary message) {
        return (!unseenOnly || !message.seen())
                && since.map(s -> !message.deliveredAt().isBefore(s)).orElse(true)
                && match.test(message);
    }

    @Override
    public String toString() {
        return "MessageQuery[" + match.describe() + since.map(s -> ", since " + s).orElse("")
                + (unseenOnly ? ", unseen only" : "") + ", offset " + offset + ", limit " + limit + "]";
    }

    /** Builds a {@link MessageQuery}. Not thread-safe. */
    public static final class Builder {
        private MessageMatch match = MessageMatch.any();
        private Optional<Instant> since = Optional.empty();
        private boolean unseenOnly;
        private int offset;
        private int limit = DEFAULT_LIMIT;

        private Builder() {
        }

        /**
         * @param text text the {@code From} header must contain (case-insensitive)
         * @return this builder
         */
        public Builder from(String text) {
            this.match = match.withFrom(text);
            return this;
        }

        /**
         * @param text text the subject must contain (case-insensitive)
         * @return this builder
         */
        public Builder subjectContains(String text) {
            this.match = match.withSubjectContains(text);
            return this;
        }

        /**
         * @param match the sender and subject tests, replacing those set so far
         * @return this builder
         */
        public Builder match(MessageMatch match) {
            this.match = Objects.requireNonNull(match, "match");
            return this;
        }

        /**
         * @param since only messages delivered at or after this instant
         * @return this builder
         */
        public Builder since(Instant since) {
            this.since = Optional.of(since);
            return this;
        }

        /**
         * @param unseenOnly only messages not yet marked seen
         * @return this builder
         */
        public Builder unseenOnly(boolean unseenOnly) {
            this.unseenOnly = unseenOnly;
            return this;
        }

        /**
         * @param offset how many matching messages to skip, 0 or more
         * @return this builder
         */
        public Builder offset(int offset) {
            if (offset < 0) {
                throw new IllegalArgumentException("offset must be 0 or more, got " + offset);
            }
            this.offset = offset;
            return this;
        }

        /**
         * @param limit the most summaries to return, 1 or more
         * @return this builder
         */
        public Builder limit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be 1 or more, got " + limit);
            }
            this.limit = limit;
            return this;
        }

        /** @return the query */
        public MessageQuery build() {
            return new MessageQuery(this);
        }
    }
}
