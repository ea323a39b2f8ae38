package io.azt3knet.mail.desec;

import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.dns.DnsManager;
import io.azt3knet.mail.spi.DnsManagerFactory;

/**
 * Registers deSEC with {@link java.util.ServiceLoader}: creates a {@link DesecDnsManager} from the
 * {@code DESEC_*} variables (see {@link DesecSettings}).
 */
public final class DesecDnsManagerFactory implements DnsManagerFactory {

    /** Called by {@link java.util.ServiceLoader}. */
    public DesecDnsManagerFactory() {
    }

    @Override
    public String providerName() {
        return DesecClient.PROVIDER;
    }

    @Override
    public DnsManager create(ConfigSource source) {
        return DesecDnsManager.builder(DesecSettings.from(source)).build();
    }
}
