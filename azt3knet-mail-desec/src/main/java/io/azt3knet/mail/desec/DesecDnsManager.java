package io.azt3knet.mail.desec;

import io.azt3knet.mail.dns.DynDnsScheduler;
import io.azt3knet.mail.http.HttpSender;
import io.azt3knet.mail.dns.DesiredDns;
import io.azt3knet.mail.dns.DnsApplyReport;
import io.azt3knet.mail.dns.DnsChange;
import io.azt3knet.mail.dns.DnsManager;
import io.azt3knet.mail.dns.DnsPlan;
import io.azt3knet.mail.dns.DnsPlanner;
import io.azt3knet.mail.dns.DnsRecordSet;
import io.azt3knet.mail.dns.DynDnsOutcome;
import io.azt3knet.mail.dns.DynDnsUpdate;
import io.azt3knet.mail.StalePlanException;
import io.azt3knet.mail.internal.http.RetrySettings;
import io.azt3knet.mail.internal.util.Sleeper;
import java.net.Inet4Address;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@link DnsManager} on deSEC.
 *
 * <ul>
 *   <li>{@link #plan(DesiredDns)} reads the domain (for its {@code minimum_ttl}) and the whole zone, and plans
 *       with {@link DnsPlanner}: only the managed record sets appear, an existing SPF record is merged, never
 *       replaced. It writes nothing.</li>
 *   <li>TTL: deSEC refuses a TTL below the domain's {@code minimum_ttl} (usually 3600). A lower desired TTL
 *       is raised to the minimum in the plan, which says so in {@link DnsPlan#notes()}; it is never an
 *       error.</li>
 *   <li>{@link #apply(DnsPlan)} makes no request at all for a plan without changes. Otherwise it re-reads the
 *       zone, refuses the plan with {@link StalePlanException} if a managed record set is no longer what the
 *       plan saw, and writes every change in one atomic bulk {@code PATCH} (one rate-limit slot, one DNSSEC
 *       signing run). deSEC has no conditional write, so a change made between that re-read and the
 *       {@code PATCH} cannot be detected.</li>
 *   <li>DynDNS through {@code DESEC_DYNDNS_UPDATE_URL}, public IPv4 through {@code DESEC_CHECKIP_URL}, each
 *       call one request without retries, within deSEC's limits (2 updates in any 2 minutes, 3 check-IP calls
 *       in any minute; beyond them {@link io.azt3knet.mail.QuotaExhaustedException} and nothing is sent); see
 *       {@link #dynDnsScheduler()} for periodic refresh.</li>
 * </ul>
 *
 * <pre>{@code
 * try (DesecDnsManager dns = DesecDnsManager.builder(DesecSettings.from(ConfigSource.standard())).build()) {
 *     DnsPlan plan = dns.plan(DesiredDns.forMail(requirements, MailDnsOptions.defaults()));
 *     System.out.println(plan.render());
 *     dns.apply(plan);
 * }
 * }</pre>
 */
public final class DesecDnsManager implements DnsManager {

    private final DesecSettings settings;
    private final DesecClient client;
    private final DesecDynDnsUpdater dynDns;

    private DesecDnsManager(Builder b) {
        this.settings = b.settings;
        DesecClient.Builder cb = DesecClient.builder(settings).clock(b.clock);
        b.retry.ifPresent(cb::retry);
        b.sender.ifPresent(cb::httpSender);
        b.sleeper.ifPresent(cb::sleeper);
        this.client = cb.build();
        this.dynDns = new DesecDynDnsUpdater(settings, b.clock, b.sender);
    }

    /**
     * @param settings the deSEC settings
     * @return a builder
     */
    public static Builder builder(DesecSettings settings) {
        return new Builder(settings);
    }

    /** @return the REST client this manager uses, for reads and writes beyond the mail record sets */
    public DesecClient client() {
        return client;
    }

    @Override
    public String providerName() {
        return DesecClient.PROVIDER;
    }

    @Override
    public List<DnsRecordSet> recordSets(String domain) {
        return client.recordSets(domain);
    }

    @Override
    public int minimumTtl(String domain) {
        return client.domain(domain).minimumTtl();
    }

    @Override
    public DnsPlan plan(DesiredDns desired) {
        int minimumTtl = minimumTtl(desired.domain());
        return DnsPlanner.plan(desired, client.recordSets(desired.domain()), minimumTtl);
    }

    @Override
    public DnsApplyReport apply(DnsPlan plan) {
        if (plan.hasConflicts()) {
            throw DnsPlanner.conflicts(plan);
        }
        if (!plan.hasChanges()) {
            return new DnsApplyReport(plan, false);
        }
        List<DnsRecordSet.Key> stale = DnsPlanner.staleSets(plan, client.recordSets(plan.domain()));
        if (!stale.isEmpty()) {
            throw new StalePlanException(plan.domain(), stale);
        }
        client.patchRecordSets(plan.domain(), plan.writes().stream().map(DnsChange::after).toList());
        return new DnsApplyReport(plan, true);
    }

    @Override
    public DynDnsOutcome updateDynDns(DynDnsUpdate update) {
        return dynDns.update(update);
    }

    @Override
    public Inet4Address discoverPublicIpv4() {
        return dynDns.discoverPublicIpv4();
    }

    /** @return a scheduler builder for this manager's domain, with {@code DESEC_DYNDNS_INTERVAL} */
    public DynDnsScheduler.Builder dynDnsScheduler() {
        return DynDnsScheduler.builder(this, settings.domain()).interval(settings.dynDnsInterval());
    }

    @Override
    public void close() {
        client.close();
        dynDns.close();
    }

    /** Builds a {@link DesecDnsManager}. */
    public static final class Builder {
        private final DesecSettings settings;
        private Clock clock = Clock.systemUTC();
        private Optional<RetrySettings> retry = Optional.empty();
        private Optional<HttpSender> sender = Optional.empty();
        private Optional<Sleeper> sleeper = Optional.empty();

        private Builder(DesecSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /**
         * @param s sends every exchange, REST, DynDNS and check-IP (a proxy, metrics, a test double); default: a JDK
         *     client
         * @return this builder
         */
        public Builder httpSender(HttpSender s) {
            this.sender = Optional.of(Objects.requireNonNull(s, "sender"));
            return this;
        }

        /**
         * @param c the clock for quota times and the DynDNS and check-IP limits
         * @return this builder
         */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** For tests: fast backoff. */
        Builder retry(RetrySettings r) {
            this.retry = Optional.of(r);
            return this;
        }

        /** For tests: the REST client records its backoff, Retry-After and rate-limit waits instead of sleeping. */
        Builder sleeper(Sleeper s) {
            this.sleeper = Optional.of(Objects.requireNonNull(s, "sleeper"));
            return this;
        }

        /** @return the manager */
        public DesecDnsManager build() {
            return new DesecDnsManager(this);
        }
    }
}
