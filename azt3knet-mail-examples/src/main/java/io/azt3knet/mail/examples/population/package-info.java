/** Synthetic populations for the command line: agents with names typical of a country, from a seed. */
@NullMarked
package io.azt3knet.mail.examples.population;

import org.jspecify.annotations.NullMarked;
