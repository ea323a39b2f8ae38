package io.azt3knet.mail.mailjet;

import io.azt3knet.mail.internal.util.LogText;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Per-agent sub-account API keys, named after the agent's lower-cased address: the account's keys are listed
 * once and cached by name; a missing key is created, and after an ambiguous failure the keys are listed again
 * before anything is created again (and created again, a bounded number of times with backoff, if absent).
 */
final class MailjetAgentKeys {

    private final MailjetClient client;
    private final Object loadLock = new Object();
    /** Sub-account keys by lower-cased name; null until listed. */
    private volatile @Nullable ConcurrentHashMap<String, MailjetApiKey> apiKeys;

    private final CreateRetry createRetry;

    MailjetAgentKeys(MailjetClient client, CreateRetry createRetry) {
        this.client = client;
        this.createRetry = createRetry;
    }

    /**
     * The agent's sub-account key: reused when it exists, else created. Created keys have their own senders;
     * UNCONFIRMED whether Mailjet returns {@code SecretKey} when listing existing keys.
     */
    MailjetApiKey keyOf(String name) {
        MailjetApiKey existing = apiKeys().get(name);
        if (existing != null && !existing.active()) {
            // deactivated when its mailbox was deleted: the mailbox is back, so is its login
            client.setApiKeyActive(existing.id(), true);
            existing = withActive(existing, true);
            apiKeys().put(name, existing);
        }
        if (existing != null) {
            return existing;
        }
        return createRetry.createOnce("the agent key " + LogText.escape(name), () -> {
            MailjetApiKey created = client.createApiKey(name);
            apiKeys().put(name, created);
            return created;
        }, () -> {
            forget();
            return Optional.ofNullable(apiKeys().get(name));
        });
    }

    /**
     * Deactivates the agent's key, so that it no longer logs in to SMTP (Mailjet documents no deletion of keys).
     *
     * @param name the key's name, the agent's lower-cased address
     * @return whether an active key was deactivated
     */
    boolean deactivate(String name) {
        MailjetApiKey existing = apiKeys().get(name);
        if (existing == null || !existing.active()) {
            return false;
        }
        boolean found = client.setApiKeyActive(existing.id(), false);
        apiKeys().put(name, withActive(existing, false));
        return found;
    }

    private static MailjetApiKey withActive(MailjetApiKey key, boolean active) {
        return new MailjetApiKey(key.id(), key.name(), key.apiKey(), key.secretKey(), active);
    }

    /** Forgets the keys listed; the next call lists again. */
    void forget() {
        synchronized (loadLock) {
            apiKeys = null;
        }
    }

    private ConcurrentHashMap<String, MailjetApiKey> apiKeys() {
        ConcurrentHashMap<String, MailjetApiKey> k = apiKeys;
        if (k != null) {
            return k;
        }
        synchronized (loadLock) {
            ConcurrentHashMap<String, MailjetApiKey> loaded = apiKeys;
            if (loaded == null) {
                loaded = new ConcurrentHashMap<>();
                for (MailjetApiKey key : client.listApiKeys()) {
                    loaded.putIfAbsent(key.name().toLowerCase(Locale.ROOT), key);
                }
                apiKeys = loaded;
            }
            return loaded;
        }
    }
}
