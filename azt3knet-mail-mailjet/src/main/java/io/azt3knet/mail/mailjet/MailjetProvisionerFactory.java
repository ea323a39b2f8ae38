package io.azt3knet.mail.mailjet;

import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.provisioning.MailboxProvisioner;
import io.azt3knet.mail.spi.MailboxProvisionerFactory;

/**
 * Registers Mailjet with {@link java.util.ServiceLoader}: creates a {@link MailjetProvisioner} from the
 * {@code MAILJET_*} variables (see {@link MailjetSettings}).
 */
public final class MailjetProvisionerFactory implements MailboxProvisionerFactory {

    /** Called by {@link java.util.ServiceLoader}. */
    public MailjetProvisionerFactory() {
    }

    @Override
    public String providerName() {
        return "mailjet";
    }

    @Override
    public MailboxProvisioner create(ConfigSource source) {
        return MailjetProvisioner.builder(MailjetSettings.from(source)).build();
    }
}
