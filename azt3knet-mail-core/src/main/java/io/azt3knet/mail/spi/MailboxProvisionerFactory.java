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
}
