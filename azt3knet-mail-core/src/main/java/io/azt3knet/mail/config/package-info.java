/**
 * Configuration: {@link io.azt3knet.mail.config.ConfigSource} looks variables up in builder values, system
 * properties, environment variables and a {@code .env} file (in that order of precedence);
 * {@link io.azt3knet.mail.config.SettingsReader} turns them into typed settings and reports every problem at once.
 */
@NullMarked
package io.azt3knet.mail.config;

import org.jspecify.annotations.NullMarked;
