package io.azt3knet.mail.spi;

import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.provisioning.MailboxProvisioner;

/**
 * Creates a provider's {@link MailboxProvisioner} from configuration. Registered in
 * {@code META-INF/services/io.azt3knet.mail.spi.MailboxProvisionerFactory}.
 */
public interface MailboxProvisionerFactory {

    /** @return the provider's name, e.g. {@code "mailjet"} */
    String providerName();

    /**
     * @param source the configuration
     * @return a provisioner
     * @throws ConfigurationException listing every missing or malformed variable
     */
    MailboxProvisioner create(ConfigSource source);

    /**
     * Creates a provisioner that will create mailboxes: checks, besides what {@link #create} checks, every
     * variable that only creating a mailbox needs (for Mailjet, {@code MAILJET_INBOUND_URL}), so that a missing one
     * fails here and not at the first mailbox. The default is {@link #create}, for providers that need nothing
     * more.
     *
     * @param source the configuration
     * @return a provisioner ready to create mailboxes
     * @throws ConfigurationException listing every missing or malformed variable
     */
    default MailboxProvisioner createForMailboxes(ConfigSource source) {
        return create(source);
    }
}
