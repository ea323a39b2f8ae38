package io.azt3knet.mail.mailjet;

import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.provisioning.MailboxProvisioner;
import io.azt3knet.mail.spi.MailboxProvisionerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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

    /** Also requires {@code MAILJET_INBOUND_URL}, which every parse route points at. */
    @Override
    public MailboxProvisioner createForMailboxes(ConfigSource source) {
        List<String> problems = new ArrayList<>();
        @Nullable MailjetSettings settings = null;
        try {
            settings = MailjetSettings.from(source);
        } catch (ConfigurationException e) {
            problems.addAll(e.problems());
        }
        if (source.get(MailjetSettings.INBOUND_URL).isEmpty()) {
            problems.add(MailjetSettings.INBOUND_URL_REQUIRED);
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return MailjetProvisioner.builder(Objects.requireNonNull(settings)).build();
    }
}
