package io.azt3knet.mail.provisioning;

import io.azt3knet.mail.MailboxAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Creates, finds and deletes agent mailboxes at a mail provider, and prepares the domain they live in.
 *
 * <p>Every operation is idempotent: {@link #createMailbox(MailboxRequest)} for an address that already
 * exists returns its credentials with {@link MailboxCreation.Outcome#ALREADY_EXISTED} (repairing the
 * provider's state when it drifted) and never creates a second mailbox, also when retried after an
 * ambiguous failure. Implementations are thread-safe and may cache what exists; {@link #refresh()} drops
 * that cache. Close to release HTTP resources.
 */
public interface MailboxProvisioner extends AutoCloseable {

    /** @return the provider's name, e.g. {@code "mailjet"} */
    String providerName();

    /**
     * Makes sure the provider knows the sending/receiving domain and returns the DNS records it needs
     * there (DKIM, SPF include, ownership TXT, inbound MX hosts).
     *
     * @param domain the domain, e.g. {@code agents.example.org}
     * @return what the DNS of that domain must contain
     */
    DomainRequirements prepareDomain(String domain);

    /**
     * What the provider needs in the domain's DNS, if it already knows the domain. Reads only: never registers
     * the domain, so that a dry run changes nothing anywhere.
     *
     * @param domain the domain
     * @return the requirements, or empty when the domain was never prepared at this provider
     */
    Optional<DomainRequirements> domainRequirements(String domain);

    /**
     * What the provider will need in the DNS of a domain it does not know yet, as far as that is known before
     * registration (MX and SPF). Reads nothing and writes nothing; a dry run on a new domain plans with it.
     *
     * @param domain the domain
     * @return the MX hosts and SPF mechanism; empty (the default) when the provider cannot say
     */
    default Optional<UnregisteredDomain> requirementsBeforeRegistration(String domain) {
        return Optional.empty();
    }

    /**
     * Asks the provider to check the domain's DNS now and, when DNS is right, to validate the domain
     * for sending.
     *
     * @param domain the domain prepared before
     * @return the provider's verdict, with its own error strings
     */
    DomainVerification verifyDomain(String domain);

    /**
     * Creates the mailbox if it does not exist yet; otherwise returns the existing one.
     *
     * @param request the address and display name
     * @return the credentials and whether the mailbox was created
     */
    MailboxCreation createMailbox(MailboxRequest request);

    /**
     * @param address the address
     * @return the mailbox, if it exists at the provider
     */
    Optional<Mailbox> findMailbox(MailboxAddress address);

    /**
     * Every mailbox of a domain as the provider holds it, each with the URL its route points at, so that a caller
     * can tell this deployment's mailboxes (route at {@link #inboundUrl()}) from anyone else's. Reads the provider
     * as of the last {@link #refresh()} or later: after {@code refresh()}, one listing of the provider (paged, not one
     * call per mailbox).
     *
     * @param domain a domain
     * @return every mailbox of that domain, in no particular order; one per address even if the provider holds
     *     duplicates
     */
    List<Mailbox> listMailboxes(String domain);

    /**
     * Deletes a mailbox at the provider: every route of the address (also duplicates made by other tools) and
     * anything the provider keeps for that mailbox alone (for example a per-agent SMTP key). Mail already delivered
     * elsewhere is not touched.
     *
     * <p>Idempotent: deleting an address that has no mailbox is not an error but {@link MailboxDeletion.Absent},
     * and a delete the provider reports as "not found" counts as done. After an ambiguous failure (no answer, or a
     * server error) the provider is read again: if the mailbox is gone the delete succeeded; if it is still there
     * the failure is thrown, and calling again is safe.
     *
     * @param address the address
     * @return {@link MailboxDeletion.Deleted} or {@link MailboxDeletion.Absent}
     * @throws io.azt3knet.mail.ProviderException if the provider refused, or failed and the mailbox still exists
     */
    MailboxDeletion deleteMailbox(MailboxAddress address);

    /**
     * Where the routes of the mailboxes this provisioner creates point (without the credentials the route may
     * carry): this deployment's inbound URL. A mailbox whose route points elsewhere belongs to someone else.
     *
     * @return the URL, or empty when this provisioner was configured without one (it can then list and delete, not
     *     create)
     */
    Optional<URI> inboundUrl();

    /** Forgets cached knowledge of existing mailboxes; the next call reads the provider again. */
    void refresh();

    /** Releases resources. Does not throw checked exceptions. */
    @Override
    void close();
}
