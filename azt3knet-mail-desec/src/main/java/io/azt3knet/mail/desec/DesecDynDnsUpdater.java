package io.azt3knet.mail.desec;

import io.azt3knet.mail.dns.DynDnsScheduler;
import io.azt3knet.mail.http.HttpSender;
import io.azt3knet.mail.ProviderServiceException;
import io.azt3knet.mail.QuotaExhaustedException;
import io.azt3knet.mail.dns.DynDnsOutcome;
import io.azt3knet.mail.dns.DynDnsUpdate;
import io.azt3knet.mail.internal.http.HttpRequestSpec;
import io.azt3knet.mail.internal.http.HttpResponseData;
import io.azt3knet.mail.internal.http.JsonHttpClient;
import io.azt3knet.mail.internal.http.RateLimitPacer;
import io.azt3knet.mail.internal.http.RetrySettings;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * deSEC's DynDNS update ({@code DESEC_DYNDNS_UPDATE_URL}) and check-IP ({@code DESEC_CHECKIP_URL}) services.
 *
 * <p>An update is {@code GET <url>?hostname=<host>&myipv4=<a|preserve>&myipv6=<a|preserve>} with Basic
 * auth (user: the domain, password: the token). Both families are always sent: deSEC deletes the record set
 * of a family that is missing from the request, so the one not given is sent as {@code preserve}. Only the
 * body {@code good} is success; {@code badauth} (401), {@code nohost} (404), 400 and 429 become
 * {@link ProviderServiceException}s that say what to check.
 *
 * <p>deSEC's limits hold for every request sent, so both services are called without retries (a failed
 * update or check-IP call is reported; the scheduler tries again at its next interval) and each request takes
 * a slot of its limit before it is sent, whoever asks ({@link DynDnsScheduler}, the domain bootstrap or a
 * direct {@code updateDynDns} call): at most 2 updates in any 2 minutes (deSEC's limit per domain, counted
 * here for all the updates of this manager) and 3 check-IP calls in any minute (deSEC's limit per client IP).
 * A request beyond a limit is not sent: it fails at once with {@link QuotaExhaustedException}, saying when
 * the next slot opens. The limits live in this object, so they hold within one process.
 */
final class DesecDynDnsUpdater implements AutoCloseable {

    /** Pacing key of DynDNS updates: 2 in any 2 minutes (deSEC's limit per domain). */
    private static final String UPDATE = "dyndns";
    /** Pacing key of check-IP calls: 3 in any minute (deSEC's limit per client IP). */
    private static final String CHECK_IP = "checkip";

    private final DesecSettings settings;
    private final JsonHttpClient update;
    private final JsonHttpClient checkIp;

    DesecDynDnsUpdater(DesecSettings settings, Clock clock, Optional<HttpSender> sender) {
        this.settings = settings;
        // one attempt per call, so that one call is one request of the limit; a 429's Retry-After up to the quota
        // wait is reported as throttling (with its Retry-After), a longer one as QuotaExhaustedException
        RetrySettings r = RetrySettings.none().withMaxRetryAfter(settings.maxQuotaWait());
        // deSEC's limits as client-side windows that never wait: a request beyond one is refused before it is sent
        RateLimitPacer limits = RateLimitPacer.builder(DesecClient.PROVIDER)
                .limit(UPDATE, 2, Duration.ofMinutes(2))
                .limit(CHECK_IP, 3, Duration.ofMinutes(1))
                .maxWait(Duration.ZERO)
                .clock(clock)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()), nanos -> { }) // never waits: maxWait is zero
                .build();
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (settings.domain() + ":" + settings.token().reveal()).getBytes(StandardCharsets.UTF_8));
        JsonHttpClient.Builder updateBuilder = JsonHttpClient.builder(DesecClient.PROVIDER, settings.dynDnsUpdateUrl())
                .authorization(() -> basic)
                .redact(settings.token())
                .retry(r)
                .pacer(limits)
                .errorDecoder(new DesecErrorDecoder())
                .clock(clock)
                .requestTimeout(settings.requestTimeout());
        JsonHttpClient.Builder checkIpBuilder = JsonHttpClient.builder(DesecClient.PROVIDER, settings.checkIpUrl())
                .retry(r)
                .pacer(limits)
                .errorDecoder(new DesecErrorDecoder())
                .clock(clock)
                .requestTimeout(settings.requestTimeout());
        sender.ifPresent(updateBuilder::sender);
        sender.ifPresent(checkIpBuilder::sender);
        this.update = updateBuilder.build();
        this.checkIp = checkIpBuilder.build();
    }

    DynDnsOutcome update(DynDnsUpdate u) {
        HttpRequestSpec spec = HttpRequestSpec.absolute(settings.dynDnsUpdateUrl())
                .query("hostname", u.hostname())
                .query("myipv4", u.ipv4().map(InetAddress::getHostAddress).orElse("preserve"))
                .query("myipv6", u.ipv6().map(InetAddress::getHostAddress).orElse("preserve"))
                .pacingKey(UPDATE);
        String operation = "DynDNS update of " + u.hostname();
        HttpResponseData response;
        try {
            response = update.send(spec);
        } catch (QuotaExhaustedException e) {
            throw e;
        } catch (ProviderServiceException e) {
            throw explain(e, operation, u.hostname());
        }
        String body = new String(response.body(), StandardCharsets.UTF_8).strip();
        if (!body.equals("good")) {
            throw ProviderServiceException.builder(DesecClient.PROVIDER, operation, response.status()).message("unexpected answer '" + abbreviate(body) + "' (only 'good' means the update was accepted); check " + DesecSettings.DYNDNS_UPDATE_URL).build();
        }
        return new DynDnsOutcome(u, DynDnsOutcome.Action.UPDATED);
    }

    private ProviderServiceException explain(ProviderServiceException e, String operation, String hostname) {
        String message = switch (e.statusCode()) {
            case 401 -> "badauth: deSEC refused " + DesecSettings.TOKEN + " for " + settings.domain()
                    + "; check the token and that it may write this domain";
            case 404 -> "nohost: " + hostname + " is not a domain (or a name under a domain) of this deSEC account; check "
                    + DesecSettings.DOMAIN;
            case 400 -> "deSEC refused the update: " + e.providerMessage();
            case 429 -> "throttled: deSEC allows 2 DynDNS updates per 2 minutes per domain (" + e.providerMessage() + ")";
            default -> e.providerMessage();
        };
        ProviderServiceException.Builder b = ProviderServiceException.builder(DesecClient.PROVIDER, operation,
                e.statusCode()).message(message);
        e.requestId().ifPresent(b::requestId);
        e.retryAfter().ifPresent(b::retryAfter);
        return b.build();
    }

    Inet4Address discoverPublicIpv4() {
        String operation = "GET " + settings.checkIpUrl();
        String body = new String(checkIp.send(HttpRequestSpec.absolute(settings.checkIpUrl()).pacingKey(CHECK_IP)).body(),
                StandardCharsets.UTF_8).strip();
        if (body.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            try {
                if (InetAddress.getByName(body) instanceof Inet4Address v4) { // a literal: no lookup happens
                    return v4;
                }
            } catch (UnknownHostException e) {
                // an octet above 255: reported below
            }
        }
        throw ProviderServiceException.builder(DesecClient.PROVIDER, operation, 200).message("answer is not an IPv4 address: '" + abbreviate(body) + "'; check " + DesecSettings.CHECKIP_URL).build();
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 80 ? one.substring(0, 80) + "..." : one;
    }

    @Override
    public void close() {
        update.close();
        checkIp.close();
    }
}
