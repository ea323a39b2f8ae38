/**
 * Sending mail as an agent over SMTP: {@link io.azt3knet.mail.send.MailService} (Jakarta Mail, TLS always),
 * {@link io.azt3knet.mail.send.OutgoingMessage} (a small fluent message API) and
 * {@link io.azt3knet.mail.send.SmtpSettings} (host, port, TLS mode, timeouts).
 */
@NullMarked
package io.azt3knet.mail.send;

import org.jspecify.annotations.NullMarked;
