/**
 * The {@code azt3knet-mail} command line: {@link io.azt3knet.mail.examples.cli.Azt3knetMailCommand} and
 * its subcommands.
 */
@NullMarked
package io.azt3knet.mail.examples.cli;

import org.jspecify.annotations.NullMarked;
