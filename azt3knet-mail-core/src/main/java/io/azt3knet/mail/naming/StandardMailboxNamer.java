package io.azt3knet.mail.naming;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.NamingExhaustedException;
import io.azt3knet.mail.config.ProvisioningSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The standard namer of the design's naming specification: {@code first.last.ddd.yyyyMMddHHmmss@domain},
 * or {@code prefix.first.last.ddd.yyyyMMddHHmmss@domain} with a prefix label.
 *
 * <pre>{@code
 * MailboxNamer namer = MailboxNamer.standard()
 *         .domain("agents.example.org")
 *         .seed(42)
 *         .build();
 * namer.name(new AgentIdentity("Zoë", "Ørsted-Müller", "", "agent-7"));
 * // zoe.orstedmuller.216.<yyyyMMddHHmmss of now, UTC>@agents.example.org
 * }</pre>
 *
 * <h2>Name components</h2>
 * Each of {@code first} and {@code last} is the agent's name component folded to {@code [a-z0-9]}:
 * NFKC; Cyrillic and Greek transliterated by built-in tables (simplified BGN/PCGN and ELOT 743:
 * {@code Юлия Жукова -> yuliya.zhukova}, {@code Γιώργος -> giorgos}); every other non-Latin script
 * transliterated by ICU's {@code Any-Latin} when ICU4J is on the class path ({@code 王伟 -> wang.wei};
 * Japanese kana give romaji, kanji their Mandarin reading) and dropped without it; lower case; NFKD with
 * combining marks dropped; the folds {@code ß->ss, æ->ae, ø->o, ł->l, đ->d, ð->d, þ->th, œ->oe}
 * (upper case too) and a few more; anything outside {@code [a-z0-9]} dropped. So CR, LF, {@code @},
 * {@code /}, quotes and spaces never reach an address. The result is cut to 16 characters. A component
 * that is empty after this is replaced by the folded username hint, and that, if empty too, by
 * {@code agent}.
 *
 * <h2>The three digits</h2>
 * {@code ddd} is {@code digits(seed, key)}: the first 8 bytes of SHA-256 over the UTF-8 bytes of
 * {@code <seed>:<key>}, read as a big-endian unsigned 64-bit number, modulo 1000, zero-padded; the seed
 * is written in decimal ({@code -42}) and the key is {@code id:<id>} for an agent with an
 * {@linkplain AgentIdentity#stableId() id}, {@code position:<n>} for one without, {@code n} being the
 * number of agents this namer named before it. Same seed and agent, same digits, on every JVM.
 *
 * <h2>Uniqueness</h2>
 * When {@code first.last.ddd.second} is taken (named before by this namer or {@linkplain #reserve
 * reserved}), the namer tries {@code ddd+1, ddd+2, ...} modulo 1000, each value at most once; after 1,000
 * it throws {@link NamingExhaustedException}, naming the base name and the second. The cost per agent is
 * amortized constant even when thousands share one name and second: runs of taken values are
 * remembered, never rescanned.
 *
 * <h2>Time</h2>
 * The timestamp is the {@link Clock}'s instant in UTC, {@code yyyyMMddHHmmss}, read once per
 * {@link #name} call.
 *
 * <p>Thread-safe. The local part is at most 64 characters (RFC 5321) by construction: the prefix is
 * validated when the namer is built.
 */
public final class StandardMailboxNamer implements MailboxNamer {

    /** The name component used when neither the name nor the username hint gives any letter. */
    static final String FALLBACK_COMPONENT = "agent";
    /** Maximum length of {@code first} and of {@code last}. */
    static final int MAX_COMPONENT_LENGTH = 16;

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuuMMddHHmmss", Locale.ROOT);

    /** A second and its {@code yyyyMMddHHmmss}: a population is named in few distinct seconds. */
    private record FormattedSecond(long epochSecond, String text) {
    }

    private final String domain;
    private final String prefix;
    private final String basePrefix;
    private final long seed;
    private final Clock clock;
    private final NameSanitizer sanitizer;
    private volatile FormattedSecond lastSecond = new FormattedSecond(Long.MIN_VALUE, "");

    private final Object lock = new Object();
    // sized for a thousand agents: a population rarely names fewer, and growing from 16 rehashes ten times
    private final Set<String> usedLocalParts = new HashSet<>(2048);
    private final Map<String, CandidateCycle> cyclesByBaseAndSecond = new HashMap<>();
    private long named;
    private final MessageDigest sha256 = sha256();
    private final byte[] seedAndPosition;
    private final byte[] seedAndId;
    private final byte[] decimal = new byte[20];
    private final byte[] hash = new byte[32];

    private StandardMailboxNamer(String domain, Builder b, NameSanitizer sanitizer) {
        this.domain = domain;
        this.prefix = b.prefix;
        this.basePrefix = prefix.isEmpty() ? "" : prefix + ".";
        this.seed = b.seed;
        this.clock = b.clock;
        this.sanitizer = sanitizer;
        this.seedAndPosition = (seed + ":position:").getBytes(StandardCharsets.UTF_8);
        this.seedAndId = (seed + ":id:").getBytes(StandardCharsets.UTF_8);
    }

    /** @return a builder; {@link Builder#domain(String)} is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param settings the provisioning settings
     * @return a builder with the settings' domain and prefix label
     */
    public static Builder builder(ProvisioningSettings settings) {
        return new Builder().domain(settings.domain()).prefix(settings.prefix());
    }

    @Override
    public MailboxAddress name(AgentIdentity agent) {
        Objects.requireNonNull(agent, "agent");
        String first = sanitizer.sanitize(agent.firstName());
        String last = sanitizer.sanitize(agent.lastName());
        if (first.isEmpty() || last.isEmpty()) {
            String hint = sanitizer.sanitize(agent.usernameHint());
            String missing = hint.isEmpty() ? FALLBACK_COMPONENT : hint;
            first = first.isEmpty() ? missing : first;
            last = last.isEmpty() ? missing : last;
        }
        first = truncated(first);
        last = truncated(last);
        String second = second(clock.instant());
        String id = agent.id();
        String localPart;
        synchronized (lock) {
            int start = id.isBlank() ? digitsOfPosition(named) : digitsOfId(id);
            localPart = localPart(first, last, start, second);
            if (!usedLocalParts.add(localPart)) {
                localPart = takeNextFree(basePrefix + first + "." + last, start, second);
            }
            named++;
        }
        return new MailboxAddress(localPart, domain);
    }

    /** The collision path, under the lock: the first free candidate after {@code start}, now taken. */
    private String takeNextFree(String base, int start, String second) {
        CandidateCycle cycle = cyclesByBaseAndSecond.computeIfAbsent(base + "@" + second, k -> new CandidateCycle());
        OptionalInt free = cycle.takeFirstFree(start, ddd -> usedLocalParts.contains(localPart(base, ddd, second)));
        if (free.isEmpty()) {
            throw new NamingExhaustedException(base, second, CandidateCycle.SIZE);
        }
        String localPart = localPart(base, free.getAsInt(), second);
        usedLocalParts.add(localPart);
        return localPart;
    }

    /**
     * {@inheritDoc} Addresses in other domains cannot collide and are ignored; local parts are compared
     * case-insensitively.
     */
    @Override
    public void reserve(Collection<MailboxAddress> existing) {
        Objects.requireNonNull(existing, "existing");
        synchronized (lock) {
            for (MailboxAddress address : existing) {
                if (address.domain().equals(domain)) {
                    usedLocalParts.add(address.localPart().toLowerCase(Locale.ROOT));
                }
            }
        }
    }

    /** @return the domain of every address this namer gives out */
    public String domain() {
        return domain;
    }

    @Override
    public String toString() {
        return "StandardMailboxNamer[domain=" + domain + ", prefix=" + prefix + ", seed=" + seed + "]";
    }

    private static String truncated(String component) {
        return component.length() > MAX_COMPONENT_LENGTH ? component.substring(0, MAX_COMPONENT_LENGTH) : component;
    }

    private String localPart(String first, String last, int ddd, String second) {
        StringBuilder sb = new StringBuilder(basePrefix.length() + first.length() + last.length() + 20)
                .append(basePrefix).append(first).append('.').append(last).append('.');
        return appendDigits(sb, ddd).append('.').append(second).toString();
    }

    private static String localPart(String base, int ddd, String second) {
        StringBuilder sb = new StringBuilder(base.length() + 19).append(base).append('.');
        return appendDigits(sb, ddd).append('.').append(second).toString();
    }

    private static StringBuilder appendDigits(StringBuilder sb, int ddd) {
        return sb.append((char) ('0' + ddd / 100)).append((char) ('0' + ddd / 10 % 10)).append((char) ('0' + ddd % 10));
    }

    /**
     * The three digits of the specification, see the class documentation.
     *
     * @param seed the population seed
     * @param key {@code id:<id>} or {@code position:<n>}
     * @return 0..999
     */
    static int digits(long seed, String key) {
        byte[] hash = sha256().digest((seed + ":" + key).getBytes(StandardCharsets.UTF_8));
        return (int) Long.remainderUnsigned(ByteBuffer.wrap(hash, 0, Long.BYTES).getLong(), CandidateCycle.SIZE);
    }

    // digits(seed, "position:" + n) and digits(seed, "id:" + id) without building the key: the UTF-8 of
    // "<seed>:position:" is encoded once, n is written as ASCII digits, and the hash lands in a reused array.
    // Called under the lock, which guards the digest and the arrays.

    private int digitsOfPosition(long position) {
        sha256.update(seedAndPosition);
        int at = decimal.length;
        long n = position;
        do {
            decimal[--at] = (byte) ('0' + n % 10);
            n /= 10;
        } while (n > 0);
        sha256.update(decimal, at, decimal.length - at);
        return finishDigits();
    }

    private int digitsOfId(String id) {
        sha256.update(seedAndId);
        sha256.update(id.getBytes(StandardCharsets.UTF_8));
        return finishDigits();
    }

    private int finishDigits() {
        try {
            sha256.digest(hash, 0, hash.length);
        } catch (DigestException e) {
            throw new IllegalStateException("a SHA-256 digest is 32 bytes", e);
        }
        long first8 = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            first8 = (first8 << 8) | (hash[i] & 0xff);
        }
        return (int) Long.remainderUnsigned(first8, CandidateCycle.SIZE);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    private String second(Instant instant) {
        FormattedSecond last = lastSecond;
        if (last.epochSecond() != instant.getEpochSecond()) {
            last = new FormattedSecond(instant.getEpochSecond(), timestamp(instant));
            lastSecond = last;
        }
        return last.text();
    }

    /**
     * @param instant a clock reading
     * @return {@code yyyyMMddHHmmss} in UTC
     * @throws IllegalStateException if the year is not 1..9999 (the format has four digits)
     */
    static String timestamp(Instant instant) {
        LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        if (t.getYear() < 1 || t.getYear() > 9999) {
            throw new IllegalStateException("the clock reads " + instant
                    + ": mailbox timestamps need a year between 1 and 9999");
        }
        return TIMESTAMP.format(t);
    }

    /** Builds a {@link StandardMailboxNamer}. */
    public static final class Builder {
        private @Nullable String domain;
        private String prefix = "";
        private long seed;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * @param domain the domain of every address, e.g. {@code agents.example.org} (required)
         * @return this builder
         * @throws IllegalArgumentException if it is not a valid host name
         */
        public Builder domain(String domain) {
            this.domain = MailboxAddress.requireDomain(Objects.requireNonNull(domain, "domain").toLowerCase(Locale.ROOT));
            return this;
        }

        /**
         * @param seed the population seed the three digits derive from (default 0)
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param clock where the timestamp comes from (default: the system clock; read in UTC)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Puts a label in front of every local part, {@code prefix.first.last...}. It must be lower-case
         * letters, digits and inner hyphens, and at most {@value ProvisioningSettings#MAX_PREFIX_LENGTH}
         * characters, so that every local part fits the 64-character limit.
         *
         * @param prefix the label, or {@code ""} for none (the default)
         * @return this builder
         * @throws IllegalArgumentException naming {@code AZT3KNET_AGENT_MAIL_PREFIX} if the label is invalid
         */
        public Builder prefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            ProvisioningSettings.checkPrefix(prefix).ifPresent(problem -> {
                throw new IllegalArgumentException(ProvisioningSettings.PREFIX + " " + problem);
            });
            this.prefix = prefix;
            return this;
        }

        /**
         * @return the namer, with no address given out or reserved yet
         * @throws IllegalStateException if no domain was set
         */
        public StandardMailboxNamer build() {
            return build(NameSanitizer.STANDARD);
        }

        StandardMailboxNamer build(NameSanitizer sanitizer) {
            String d = domain;
            if (d == null) {
                throw new IllegalStateException("a mailbox namer needs a domain: call domain(...) or builder(settings)");
            }
            return new StandardMailboxNamer(d, this, sanitizer);
        }
    }
}
