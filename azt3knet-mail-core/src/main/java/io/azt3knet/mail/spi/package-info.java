/**
 * Service-provider interfaces through which provider modules register themselves with
 * {@link java.util.ServiceLoader}, so that {@link io.azt3knet.mail.MailAutomation#fromConfiguration} can wire
 * whatever modules are on the classpath. An optional convenience: the explicit builder needs none of it.
 */
@NullMarked
package io.azt3knet.mail.spi;

import org.jspecify.annotations.NullMarked;
