package io.azt3knet.mail.provisioning;

import io.azt3knet.mail.MailboxAddress;
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
     * @param domain a domain
     * @return every mailbox of that domain, in no particular order
     */
    List<Mailbox> listMailboxes(String domain);

    /**
     * Deletes a mailbox (all of them, should the provider hold duplicates made by other tools).
     *
     * @param address the address
     * @return whether anything was deleted
     */
    boolean deleteMailbox(MailboxAddress address);

    /** Forgets cached knowledge of existing mailboxes; the next call reads the provider again. */
    void refresh();

    /** Releases resources. Does not throw checked exceptions. */
    @Override
    void close();
}
