package io.azt3knet.mail.mailjet;

import io.azt3knet.mail.ProviderServiceException;
import io.azt3knet.mail.internal.http.JsonHttpClient;
import io.azt3knet.mail.internal.util.LogText;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The population's sub-account key and its senders: the key is found by name among the account's keys or created
 * once, with the same discipline as routes (after an ambiguous failure the keys are listed again before anything is
 * created again, so a retry never makes a second key); the catch-all sender {@code *@domain} is then registered
 * under that key (Mailjet: "senders are per API key"), found again the same way, and validated once.
 *
 * <p>UNCONFIRMED at Mailjet, coded defensively: whether listing keys returns {@code SecretKey} (when it does not, a
 * key found again cannot be handed out and the error says what to do); whether a sub-account key's catch-all sender
 * is validated by the domain's ownership TXT record (when it is not, the mailboxes still work for receiving and a
 * warning says that sending may be refused); how long a new key takes to work (Mailjet says "a few seconds": a 401
 * from a new key is waited out with the create backoff, a bounded number of times).
 */
final class MailjetPopulationKey implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MailjetPopulationKey.class);

    private final String keyName;
    private final MailjetClient account;
    private final Function<MailjetSettings, JsonHttpClient> keyHttp;
    private final MailjetSettings settings;
    private final CreateRetry createRetry;
    private final Object lock = new Object();
    private @Nullable MailjetApiKey key;
    private @Nullable MailjetClient keyClient;
    /** Catch-all senders registered under the key, by domain. */
    private final Map<String, MailjetSender> senders = new ConcurrentHashMap<>();

    MailjetPopulationKey(String keyName, MailjetClient account, MailjetSettings settings,
            Function<MailjetSettings, JsonHttpClient> keyHttp, CreateRetry createRetry) {
        this.keyName = keyName;
        this.account = account;
        this.settings = settings;
        this.keyHttp = keyHttp;
        this.createRetry = createRetry;
    }

    /** @return the key's name */
    String keyName() {
        return keyName;
    }

    /**
     * The population's key pair, with {@code *@domain} registered under it: found or created.
     *
     * @param domain a checked, lower-cased domain
     * @return the key, with its secret
     */
    MailjetApiKey credentialsFor(String domain) {
        synchronized (lock) {
            MailjetApiKey k = ensureKey();
            if (!senders.containsKey(domain)) {
                senders.put(domain, ensureSender(domain));
            }
            return k;
        }
    }

    private MailjetApiKey ensureKey() {
        MailjetApiKey k = key;
        if (k == null) {
            k = findOrCreateKey();
            if (!k.active()) {
                // the library never deactivates a population key: someone revoked it on purpose
                throw MailjetProvisioner.unexpected("GET /v3/REST/apikey", "the population key '" + keyName
                        + "' is deactivated; reactivate it at Mailjet, or use another " + MailjetCredentialsMode.POPULATION);
            }
            // UNCONFIRMED whether GET /apikey shows SecretKey: without it the key cannot be handed out
            if (k.secretKey().isEmpty()) {
                throw MailjetProvisioner.unexpected("GET /v3/REST/apikey", "Mailjet did not return the secret of the"
                        + " existing population key '" + keyName + "'; deactivate that key at Mailjet and use another "
                        + MailjetCredentialsMode.POPULATION);
            }
            key = k;
        }
        return k;
    }

    private MailjetApiKey findOrCreateKey() {
        Optional<MailjetApiKey> existing = list();
        if (existing.isPresent()) {
            return existing.get();
        }
        return createRetry.createOnce("the population key " + LogText.escape(keyName), () -> {
            MailjetApiKey created = account.createApiKey(keyName);
            LOG.info("created the Mailjet population key {}", LogText.escape(keyName));
            return created;
        }, this::list);
    }

    /** The key of that name; an active one first, then the oldest, should someone have made two. */
    private Optional<MailjetApiKey> list() {
        return account.listApiKeys().stream().filter(k -> k.name().equalsIgnoreCase(keyName))
                .min(Comparator.comparing((MailjetApiKey k) -> !k.active()).thenComparingLong(MailjetApiKey::id));
    }

    private MailjetSender ensureSender(String domain) {
        String email = "*@" + domain;
        MailjetSender sender = asNewKey(c -> MailjetCatchAllSenders.find(c, email)).orElseGet(() -> createSender(email));
        if (!sender.isActive()) {
            sender = validate(domain, sender);
        }
        return sender;
    }

    private MailjetSender createSender(String email) {
        return createRetry.createOnce("the population's sender " + LogText.escape(email),
                () -> asNewKey(c -> c.createSender(email, "")), () -> asNewKey(c -> MailjetCatchAllSenders.find(c, email)));
    }

    /**
     * Asks Mailjet to validate the key's catch-all sender (by the domain's ownership TXT record). Not being validated
     * is not an error here: receiving works either way, and the domain may not be published yet.
     */
    private MailjetSender validate(String domain, MailjetSender sender) {
        try {
            MailjetSenderValidation v = asNewKey(c -> c.validateSender(sender.id()));
            if (v.isValidated()) {
                return asNewKey(c -> c.getSender(sender.id())).orElse(sender);
            }
        } catch (ProviderServiceException e) {
            if (e.statusCode() == 400) { // "already active", per Mailjet's docs
                return asNewKey(c -> c.getSender(sender.id())).orElse(sender);
            }
            throw e;
        }
        LOG.warn("the sender *@{} of the Mailjet population key {} is not validated yet: the mailboxes receive, but"
                + " Mailjet may refuse what agents send until it is (run dns-bootstrap, then populate again;"
                + " UNCONFIRMED whether Mailjet validates a sub-account key's sender by the domain's ownership record)",
                LogText.escape(domain), LogText.escape(keyName));
        return sender;
    }

    /**
     * Calls Mailjet as the population's key. Mailjet says a new key works "after a few seconds": a 401 is waited out
     * with the create backoff, a bounded number of times.
     */
    private <T> T asNewKey(Function<MailjetClient, T> call) {
        MailjetClient c = keyClient();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.apply(c);
            } catch (ProviderServiceException e) {
                if (e.statusCode() != 401 || attempt >= createRetry.maxAttempts() || !createRetry.pause(attempt)) {
                    throw e;
                }
            }
        }
    }

    private MailjetClient keyClient() {
        MailjetClient c = keyClient;
        if (c == null) {
            MailjetApiKey k = ensureKey();
            MailjetSettings asKey = new MailjetSettings(k.apiKey(), k.secretKey().orElseThrow(), settings.apiUrl(),
                    settings.mxHosts(), settings.spfInclude(), Optional.empty(), Optional.empty(), settings.smtpHost(),
                    settings.smtpPort(), settings.requestsPerSecond(), settings.requestTimeout());
            c = new MailjetClient(keyHttp.apply(asKey));
            keyClient = c;
        }
        return c;
    }

    /** Forgets the key and senders found; the next call lists again. */
    void forget() {
        synchronized (lock) {
            key = null;
            senders.clear();
            MailjetClient c = keyClient;
            keyClient = null;
            if (c != null) {
                c.close();
            }
        }
    }

    @Override
    public void close() {
        forget();
    }

    @Override
    public String toString() {
        return "MailjetPopulationKey[" + keyName.toLowerCase(Locale.ROOT) + "]";
    }
}
