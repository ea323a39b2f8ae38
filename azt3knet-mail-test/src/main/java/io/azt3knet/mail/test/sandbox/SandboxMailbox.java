package io.azt3knet.mail.test.sandbox;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link io.azt3knet.mail.provisioning.MailboxCredentials} parameter of a test (or of a lifecycle method)
 * that {@link SandboxExtension} resolves: the sandbox mailbox with this local part on the sandbox's domain, created
 * when missing, with its own SMTP password.
 *
 * <pre>{@code
 * @ExtendWith(SandboxExtension.class)
 * class AgentMailTest {
 *     @Test
 *     void bobHearsFromAda(Sandbox sandbox, @SandboxMailbox("ada") MailboxCredentials ada,
 *             @SandboxMailbox("bob") MailboxCredentials bob) {
 *         try (MailService smtp = sandbox.mailService(ada)) {
 *             smtp.send(OutgoingMessage.builder().to(bob.address().value()).subject("Hi").text("Hello").build());
 *         }
 *     }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface SandboxMailbox {

    /** @return the local part of the address, e.g. {@code ada.lovelace.001.20241005123045} */
    String value();
}
