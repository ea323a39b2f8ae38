package io.azt3knet.mail.inbound.maildir;

import io.azt3knet.mail.inbox.MessageSummary;
import io.azt3knet.mail.inbox.StoredMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The threading pass of {@link MaildirMessageStore#thread}: a union-find over the Message-IDs each message names
 * (its own, In-Reply-To, References), which gathers the conversation of one message.
 */
final class MessageThreads {

    private MessageThreads() {
    }

    /**
     * @param all the messages of a mailbox, as threading nodes
     * @param start the node, among {@code all}, whose conversation is wanted
     * @return the summaries of the messages in {@code start}'s conversation, oldest first
     */
    static List<MessageSummary> conversation(List<Threaded> all, Threaded start) {
        // union the messages sharing any Message-ID they name (their own, In-Reply-To, References)
        Map<String, Threaded> owner = new HashMap<>();
        for (Threaded t : all) {
            for (String ref : t.ids()) {
                Threaded other = owner.putIfAbsent(ref, t);
                if (other != null) {
                    union(other, t);
                }
            }
        }
        Threaded rootOfStart = find(start);
        List<MessageSummary> conversation = new ArrayList<>();
        all.sort((a, b) -> MaildirEntry.OLDEST_FIRST.compare(a.entry, b.entry));
        for (Threaded t : all) {
            if (find(t) == rootOfStart) {
                conversation.add(t.summary);
            }
        }
        return Collections.unmodifiableList(conversation);
    }

    private static Threaded find(Threaded t) {
        Threaded r = t;
        while (r.parent != r) {
            r = r.parent;
        }
        while (t.parent != r) {
            Threaded next = t.parent;
            t.parent = r;
            t = next;
        }
        return r;
    }

    private static void union(Threaded a, Threaded b) {
        Threaded ra = find(a);
        Threaded rb = find(b);
        if (ra != rb) {
            rb.parent = ra;
        }
    }

    /** A message in the threading pass: union-find node over the Message-IDs it names. */
    static final class Threaded {
        final MaildirEntry entry;
        final HeaderBlock headers;
        final MessageSummary summary;
        Threaded parent = this;

        Threaded(MaildirEntry entry, HeaderBlock headers, MessageSummary summary) {
            this.entry = entry;
            this.headers = headers;
            this.summary = summary;
        }

        Set<String> ids() {
            Set<String> ids = new HashSet<>();
            headers.raw("message-id").ifPresent(v -> ids.addAll(StoredMessage.messageIds(v)));
            headers.raw("in-reply-to").ifPresent(v -> ids.addAll(StoredMessage.messageIds(v)));
            headers.raw("references").ifPresent(v -> ids.addAll(StoredMessage.messageIds(v)));
            return ids;
        }
    }
}
