package io.azt3knet.mail.mailjet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.ConfigurationException;
import io.azt3knet.mail.config.ConfigSource;
import io.azt3knet.mail.provisioning.MailboxProvisioner;
import io.azt3knet.mail.spi.MailboxProvisionerFactory;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class MailjetProvisionerFactoryTest {

    @Test
    void isFoundByServiceLoaderAndBuildsFromConfiguration() {
        MailboxProvisionerFactory factory = ServiceLoader.load(MailboxProvisionerFactory.class).findFirst().orElseThrow();

        assertThat(factory.providerName()).isEqualTo("mailjet");
        try (MailboxProvisioner p = factory.create(ConfigSource.of(Map.of("MAILJET_API_KEY", "key123",
                "MAILJET_API_SECRET", "secret")))) {
            assertThat(p).isInstanceOf(MailjetProvisioner.class);
        }
    }

    @Test
    void namesEveryMissingVariable() {
        assertThatThrownBy(() -> new MailjetProvisionerFactory().create(ConfigSource.of(Map.of())))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).contains("MAILJET_API_KEY"))
                        .anySatisfy(p -> assertThat(p).contains("MAILJET_API_SECRET")));
    }
}
