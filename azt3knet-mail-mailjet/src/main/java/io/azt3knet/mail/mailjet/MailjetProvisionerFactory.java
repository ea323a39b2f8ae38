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
 * {@code MAILJET_*} variables (see {@link MailjetSettings}, and {@link MailjetCredentialsMode} for
 * {@code MAILJET_CREDENTIALS_MODE} and {@code MAILJET_POPULATION}).
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
        return build(source, false);
    }

    /** Also requires {@code MAILJET_INBOUND_URL}, which every parse route points at. */
    @Override
    public MailboxProvisioner createForMailboxes(ConfigSource source) {
        return build(source, true);
    }

    /** Reads the settings and the credentials mode, and reports every problem of both at once. */
    private static MailboxProvisioner build(ConfigSource source, boolean forMailboxes) {
        List<String> problems = new ArrayList<>();
        @Nullable MailjetSettings settings = null;
        MailjetCredentialsMode mode = MailjetCredentialsMode.account();
        try {
            settings = MailjetSettings.from(source);
        } catch (ConfigurationException e) {
            problems.addAll(e.problems());
        }
        try {
            mode = MailjetCredentialsMode.from(source);
        } catch (ConfigurationException e) {
            problems.addAll(e.problems());
        }
        if (forMailboxes && source.get(MailjetSettings.INBOUND_URL).isEmpty()) {
            problems.add(MailjetSettings.INBOUND_URL_REQUIRED);
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return MailjetProvisioner.builder(Objects.requireNonNull(settings)).credentialsMode(mode).build();
    }
}
