package io.azt3knet.mail.mailjet;

import io.azt3knet.mail.ProviderServiceException;
import io.azt3knet.mail.provisioning.DomainRequirements.TxtRecord;
import io.azt3knet.mail.provisioning.DomainRequirements;
import io.azt3knet.mail.provisioning.DomainVerification;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The domain side of the provisioner: the catch-all sender {@code *@domain} (found, or created once), the
 * records its {@code dns} entry asks for, and the DNS check and validation. Senders found are cached by
 * lower-cased domain until {@link #forget()}.
 */
final class MailjetCatchAllSenders {

    private final MailjetSettings settings;
    private final MailjetClient client;
    private final StripedLocks locks = new StripedLocks();
    private final Map<String, MailjetSender> domainSenders = new ConcurrentHashMap<>();
    private final CreateRetry createRetry;

    MailjetCatchAllSenders(MailjetSettings settings, MailjetClient client, CreateRetry createRetry) {
        this.settings = settings;
        this.client = client;
        this.createRetry = createRetry;
    }

    /** Ensures the catch-all sender of {@code d} (a checked, lower-cased domain) and reads what DNS it needs. */
    DomainRequirements prepare(String d) {
        return requirements(d, ensure(d));
    }

    /** @return what DNS the existing catch-all sender of {@code d} needs; empty if there is none (creates nothing) */
    Optional<DomainRequirements> requirementsIfPrepared(String d) {
        return find(d).map(sender -> requirements(d, sender));
    }

    private DomainRequirements requirements(String d, MailjetSender sender) {
        MailjetDns dns = dnsOf(d, sender);
        if (dns.dkimRecordValue().isBlank()) {
            throw MailjetProvisioner.unexpected("GET /v3/REST/dns/" + d,
                    "the dns entry of " + d + " has no DKIMRecordValue");
        }
        String dkimName = dns.dkimRecordName().isBlank() ? "mailjet._domainkey"
                : TxtRecord.relativize(dns.dkimRecordName(), d);
        Optional<TxtRecord> ownership = Optional.empty();
        if (!dns.ownershipToken().isBlank()) {
            // UNCONFIRMED whether Mailjet gives a bare label or a fully qualified name: relativize handles both
            ownership = Optional.of(new TxtRecord(TxtRecord.relativize(dns.ownershipTokenRecordName(), d),
                    dns.ownershipToken()));
        }
        return new DomainRequirements(d, settings.mxHosts(), settings.spfInclude(), new TxtRecord(dkimName, dns.dkimRecordValue()),
                ownership);
    }

    /**
     * Triggers Mailjet's DNS check and reports DKIM and SPF with Mailjet's own error strings; when both are OK and
     * the catch-all sender is not active yet, asks Mailjet to validate it.
     */
    DomainVerification verify(String d) {
        Optional<MailjetSender> found = find(d);
        if (found.isEmpty()) {
            DomainVerification.Check none = new DomainVerification.Check(DomainVerification.Status.NOT_CHECKED,
                    List.of(), List.of());
            return new DomainVerification(d, none, none, false,
                    "Mailjet has no sender *@" + d + ": call prepareDomain first");
        }
        MailjetSender sender = found.get();
        MailjetDnsCheck check = client.checkDns(sender.dnsId() > 0 ? Long.toString(sender.dnsId()) : d);
        DomainVerification.Check dkim = new DomainVerification.Check(status(check.dkimStatus()), check.dkimErrors(),
                check.dkimRecordCurrentValue().isBlank() ? List.of() : List.of(check.dkimRecordCurrentValue()));
        DomainVerification.Check spf = new DomainVerification.Check(status(check.spfStatus()), check.spfErrors(),
                check.spfRecordsCurrentValues());
        if (sender.isActive()) {
            return new DomainVerification(d, dkim, spf, true, "");
        }
        if (dkim.status() != DomainVerification.Status.OK || spf.status() != DomainVerification.Status.OK) {
            return new DomainVerification(d, dkim, spf, false,
                    "sender *@" + d + " is " + sender.status() + "; validation waits until DKIM and SPF are OK");
        }
        return validate(d, sender, dkim, spf);
    }

    private DomainVerification validate(String d, MailjetSender sender, DomainVerification.Check dkim,
            DomainVerification.Check spf) {
        MailjetSenderValidation v;
        try {
            v = client.validateSender(sender.id());
        } catch (ProviderServiceException e) {
            if (e.statusCode() != 400) {
                throw e;
            }
            // 400: "already active" per Mailjet's docs; believe it only once the sender says so
            Optional<MailjetSender> now = client.getSender(sender.id());
            if (now.isPresent() && now.get().isActive()) {
                domainSenders.put(d, now.get());
                return new DomainVerification(d, dkim, spf, true, "");
            }
            return new DomainVerification(d, dkim, spf, false, e.providerMessage());
        }
        if (v.isValidated()) {
            client.getSender(sender.id()).ifPresent(s -> domainSenders.put(d, s));
            return new DomainVerification(d, dkim, spf, true, "validated by " + v.validationMethod());
        }
        StringBuilder message = new StringBuilder(v.globalError());
        v.errors().forEach((kind, text) -> message.append(message.length() == 0 ? "" : "; ").append(kind)
                .append(": ").append(text));
        return new DomainVerification(d, dkim, spf, false, message.toString());
    }

    private static DomainVerification.Status status(String mailjetStatus) {
        String s = mailjetStatus.strip().toLowerCase(Locale.ROOT);
        if (s.equals("ok")) {
            return DomainVerification.Status.OK;
        }
        if (s.isEmpty() || s.equals("not checked")) {
            return DomainVerification.Status.NOT_CHECKED;
        }
        return DomainVerification.Status.ERROR; // "Error", "Not found", anything new
    }

    private MailjetSender ensure(String d) {
        synchronized (locks.of(d)) {
            Optional<MailjetSender> existing = find(d);
            if (existing.isPresent()) {
                return existing.get();
            }
            return createRetry.createOnce("the sender *@" + d, () -> {
                MailjetSender created = client.createSender("*@" + d, "");
                domainSenders.put(d, created);
                return created;
            }, () -> {
                domainSenders.remove(d);
                return list(d);
            });
        }
    }

    private Optional<MailjetSender> find(String d) {
        MailjetSender cached = domainSenders.get(d);
        return cached != null ? Optional.of(cached) : list(d);
    }

    private Optional<MailjetSender> list(String d) {
        Optional<MailjetSender> s = find(client, "*@" + d);
        s.ifPresent(x -> domainSenders.put(d, x));
        return s;
    }

    /**
     * @param client the account (or key) to look in
     * @param email the sender's address, such as {@code *@agents.example.org}
     * @return the sender Mailjet holds for it, not deleted, an active one first, then the oldest
     */
    static Optional<MailjetSender> find(MailjetClient client, String email) {
        return client.listSenders(MailjetSenderQuery.all().email(email)).stream()
                .filter(x -> x.email().equalsIgnoreCase(email))
                .filter(x -> !x.status().equalsIgnoreCase("Deleted"))
                .min(Comparator.comparing((MailjetSender x) -> !x.isActive()).thenComparingLong(MailjetSender::id));
    }

    private MailjetDns dnsOf(String d, MailjetSender sender) {
        Optional<MailjetDns> dns = sender.dnsId() > 0 ? client.getDns(Long.toString(sender.dnsId())) : Optional.empty();
        if (dns.isEmpty()) {
            dns = client.getDns(d);
        }
        return dns.orElseThrow(() -> MailjetProvisioner.unexpected("GET /v3/REST/dns/" + d,
                "Mailjet has no dns entry for " + d + " although sender *@" + d + " exists"));
    }

    /** Forgets the senders found; the next call lists again. */
    void forget() {
        domainSenders.clear();
    }
}
