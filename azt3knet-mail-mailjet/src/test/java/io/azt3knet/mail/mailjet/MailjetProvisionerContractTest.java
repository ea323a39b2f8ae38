package io.azt3knet.mail.mailjet;

import io.azt3knet.mail.test.fake.FakeMailjet;
import io.azt3knet.mail.provisioning.MailboxProvisioner;
import io.azt3knet.mail.test.MailboxProvisionerContractTest;
import org.junit.jupiter.api.AfterEach;

/** The core contract, run against {@link MailjetProvisioner} on a stateful fake of Mailjet (WireMock). */
class MailjetProvisionerContractTest extends MailboxProvisionerContractTest {

    private FakeMailjet fake;

    @Override
    protected MailboxProvisioner createProvisioner() {
        if (fake == null) {
            fake = new FakeMailjet();
            fake.startServer();
        }
        MailjetSettings settings = MailjetFakes.settings(fake).build();
        return MailjetProvisioner.builder(settings).httpClient(MailjetFakes.http(settings)).build();
    }

    @AfterEach
    void stopFake() {
        fake.stopServer();
    }
}
