package io.azt3knet.mail.spi;

import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.dns.DnsManager;

/**
 * Creates a provider's {@link DnsManager} from configuration. Registered in
 * {@code META-INF/services/io.azt3knet.mail.spi.DnsManagerFactory}.
 */
public interface DnsManagerFactory {

    /** @return the provider's name, e.g. {@code "desec"} */
    String providerName();

    /**
     * @param source the configuration
     * @return a DNS manager
     * @throws ConfigurationException listing every missing or malformed variable
     */
    DnsManager create(ConfigSource source);
}
