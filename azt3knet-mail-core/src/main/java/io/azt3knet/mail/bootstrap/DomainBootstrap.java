package io.azt3knet.mail.bootstrap;

import io.azt3knet.mail.MailException;
import io.azt3knet.mail.dns.DesiredDns;
import io.azt3knet.mail.dns.DnsApplyReport;
import io.azt3knet.mail.dns.DnsManager;
import io.azt3knet.mail.dns.DnsPlan;
import io.azt3knet.mail.dns.DnsRecordSet;
import io.azt3knet.mail.dns.DynDnsOutcome;
import io.azt3knet.mail.dns.DynDnsUpdate;
import io.azt3knet.mail.dns.MailDnsOptions;
import io.azt3knet.mail.provisioning.DomainRequirements;
import io.azt3knet.mail.provisioning.UnregisteredDomain;
import io.azt3knet.mail.provisioning.DomainVerification;
import io.azt3knet.mail.provisioning.MailboxProvisioner;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The deployment's {@code dns_bootstrap} job: prepare the domain at the mail provider, turn its requirements
 * into desired record sets (MX, merged SPF, DKIM, DMARC, ownership TXT, optional {@code mail} A), plan against
 * the live zone, apply in one atomic write, refresh DynDNS with the discovered public IP, then ask the provider
 * to check DNS and validate the domain, polling for a bounded time.
 *
 * <p>Idempotent: a second run with nothing changed writes nothing (an unchanged plan makes no request, and
 * DynDNS is skipped when the zone already points at the discovered address). A dry run reads but changes
 * nothing anywhere. A failing step ends the run; later steps are reported as skipped. Designed to run at
 * container start and from cron.
 */
public final class DomainBootstrap {

    /** Waits between verification attempts; injectable so that tests do not wait. */
    @FunctionalInterface
    public interface Sleeper {
        /** @param d how long @throws InterruptedException if interrupted */
        void sleep(Duration d) throws InterruptedException;
    }

    private final MailboxProvisioner provisioner;
    private final DnsManager dns;
    private final Sleeper sleeper;

    /**
     * @param provisioner the mail provider
     * @param dns the DNS provider
     */
    public DomainBootstrap(MailboxProvisioner provisioner, DnsManager dns) {
        this(provisioner, dns, d -> Thread.sleep(d.toMillis()));
    }

    /**
     * @param provisioner the mail provider
     * @param dns the DNS provider
     * @param sleeper how to wait between verification attempts
     */
    public DomainBootstrap(MailboxProvisioner provisioner, DnsManager dns, Sleeper sleeper) {
        this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
        this.dns = Objects.requireNonNull(dns, "dns");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * @param domain the domain
     * @param options how to run
     * @return a report of every step
     */
    public DomainReport run(String domain, BootstrapOptions options) {
        Run run = new Run();
        boolean dry = options.dryRun();

        // a dry run on a domain the provider does not know yet plans without DKIM and ownership
        AtomicReference<@Nullable UnregisteredDomain> unregistered = new AtomicReference<>();
        DomainRequirements requirements = dry
                ? run.step("read domain", () -> {
                    Optional<DomainRequirements> known = provisioner.domainRequirements(domain);
                    if (known.isPresent()) {
                        return new Result<>(known.get(), describe(known.get()));
                    }
                    UnregisteredDomain u = provisioner.requirementsBeforeRegistration(domain).orElseThrow(() ->
                            new IllegalArgumentException(provisioner.providerName() + " does not know " + domain
                                    + " yet and cannot say what it will need before a real run registers it"));
                    unregistered.set(u);
                    return new Result<@Nullable DomainRequirements>(null, provisioner.providerName() + " does not know " + domain + " yet; it needs MX "
                            + u.mxHosts() + ", " + u.spfInclude() + "; DKIM TXT: known after registration"
                            + "; ownership TXT: known after registration");
                })
                : run.step("prepare domain", () -> {
                    DomainRequirements r = provisioner.prepareDomain(domain);
                    return new Result<>(r, describe(r));
                });

        boolean needIp = options.refreshDynDns() || (options.publishMailHost() && options.dns().mailHostAddress().isEmpty());
        Inet4Address ip = needIp ? run.step("discover public IP", () -> {
            Inet4Address a = dns.discoverPublicIpv4();
            return new Result<>(a, a.getHostAddress());
        }) : run.skip("discover public IP", "not needed");

        DnsPlan plan = run.step("plan DNS", () -> {
            MailDnsOptions dnsOptions = options.dns();
            if (options.publishMailHost() && dnsOptions.mailHostAddress().isEmpty() && ip != null) {
                dnsOptions = dnsOptions.withMailHostAddress(ip);
            }
            UnregisteredDomain before = unregistered.get();
            DesiredDns desired = before != null ? DesiredDns.forMailBeforeRegistration(before, dnsOptions)
                    : DesiredDns.forMail(Objects.requireNonNull(requirements), dnsOptions);
            DnsPlan p = dns.plan(desired);
            return new Result<>(p, p.writes().size() + " of " + p.changes().size() + " managed record sets to write"
                    + (before != null ? "; DKIM and ownership TXT: known after registration" : ""));
        });

        DnsApplyReport applied = dry ? run.skip("apply DNS", "dry run") : run.step("apply DNS", () -> {
            DnsApplyReport a = dns.apply(Objects.requireNonNull(plan));
            return new Result<>(a, a.written() ? "applied in one atomic write" : "nothing to change, no write");
        });

        DynDnsOutcome dyn = !options.refreshDynDns() ? run.skip("refresh DynDNS", "not asked for")
                : dry ? run.skip("refresh DynDNS", "dry run")
                : run.step("refresh DynDNS", () -> refreshDynDns(domain, Objects.requireNonNull(ip)));

        DomainVerification verification = dry ? run.skip("verify at provider", "dry run")
                : run.verify("verify at provider", () -> verify(domain, options));

        return new DomainReport(domain, dry, run.steps, Optional.ofNullable(requirements), Optional.ofNullable(plan),
                applied != null && applied.written(), Optional.ofNullable(dyn), Optional.ofNullable(verification));
    }

    private String describe(DomainRequirements r) {
        return provisioner.providerName() + " needs MX " + r.mxHosts() + ", " + r.spfInclude() + ", DKIM at "
                + r.dkim().name() + r.ownership().map(o -> ", ownership TXT at " + o.name()).orElse("");
    }

    private Result<DynDnsOutcome> refreshDynDns(String domain, Inet4Address ip) {
        boolean current = dns.recordSets(domain).stream()
                .filter(s -> s.key().equals(new DnsRecordSet.Key("", "A")))
                .anyMatch(s -> s.records().equals(List.of(ip.getHostAddress())));
        DynDnsUpdate update = DynDnsUpdate.ipv4(domain, ip);
        if (current) {
            return new Result<>(new DynDnsOutcome(update, DynDnsOutcome.Action.SKIPPED_UNCHANGED),
                    domain + " already points at " + ip.getHostAddress());
        }
        DynDnsOutcome r = dns.updateDynDns(update);
        return new Result<>(r, domain + " -> " + ip.getHostAddress() + " (IPv6 preserved)");
    }

    private DomainVerification verify(String domain, BootstrapOptions options) throws InterruptedException {
        long deadline = System.nanoTime() + options.verificationTimeout().toNanos();
        DomainVerification v = provisioner.verifyDomain(domain);
        while (!v.isReady() && System.nanoTime() + options.verificationInterval().toNanos() <= deadline) {
            sleeper.sleep(options.verificationInterval());
            v = provisioner.verifyDomain(domain);
        }
        return v;
    }

    private record Result<T extends @Nullable Object>(T value, String detail) {
    }

    @FunctionalInterface
    private interface Step<T> {
        Result<T> run() throws InterruptedException;
    }

    private static final class Run {
        final List<BootstrapStep> steps = new ArrayList<>();
        boolean failed;

        <T> @Nullable T step(String name, Step<T> step) {
            if (failed) {
                return skip(name, "an earlier step failed");
            }
            long start = System.nanoTime();
            try {
                Result<T> r = step.run();
                steps.add(new BootstrapStep(name, BootstrapStep.Status.OK, r.detail(), since(start)));
                return r.value();
            } catch (MailException | IllegalArgumentException e) {
                failed = true;
                steps.add(new BootstrapStep(name, BootstrapStep.Status.FAILED, String.valueOf(e.getMessage()), since(start)));
                return null;
            } catch (RuntimeException e) { // an unexpected answer or a bug: reported as this step's failure
                failed = true;
                steps.add(new BootstrapStep(name, BootstrapStep.Status.FAILED, "unexpected "
                        + e.getClass().getSimpleName() + ": " + e.getMessage(), since(start)));
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed = true;
                steps.add(new BootstrapStep(name, BootstrapStep.Status.FAILED, "interrupted", since(start)));
                return null;
            }
        }

        @Nullable DomainVerification verify(String name, VerificationCheck check) {
            DomainVerification v = step(name, () -> {
                DomainVerification r = check.get();
                return new Result<>(r, describe(r));
            });
            if (v != null && !v.isReady()) {
                BootstrapStep last = steps.remove(steps.size() - 1);
                steps.add(new BootstrapStep(name, BootstrapStep.Status.PENDING,
                        last.detail() + "; DNS may still be propagating: run again later", last.duration()));
            }
            return v;
        }

        <T> @Nullable T skip(String name, String why) {
            steps.add(new BootstrapStep(name, BootstrapStep.Status.SKIPPED, why, Duration.ZERO));
            return null;
        }

        private static Duration since(long start) {
            return Duration.ofNanos(System.nanoTime() - start);
        }

        private static String describe(DomainVerification v) {
            return "DKIM " + v.dkim().status() + errors(v.dkim()) + ", SPF " + v.spf().status() + errors(v.spf())
                    + ", sender " + (v.senderValidated() ? "validated" : "not validated")
                    + (v.validationMessage().isEmpty() ? "" : " (" + v.validationMessage() + ")");
        }

        private static String errors(DomainVerification.Check c) {
            return c.errors().isEmpty() ? "" : " " + c.errors();
        }
    }

    @FunctionalInterface
    private interface VerificationCheck {
        DomainVerification get() throws InterruptedException;
    }

}
