/**
 * The lifecycle of a population: the {@link io.azt3knet.mail.population.PopulationManifest} that records every
 * agent and its mailbox (a versioned JSON file, written atomically), the
 * {@link io.azt3knet.mail.population.PopulationPlan} computed from one listing of the provider before anything is
 * written, and the reports of retiring agents and removing orphaned mailboxes. The operations themselves are on
 * {@link io.azt3knet.mail.MailAutomation}.
 */
@NullMarked
package io.azt3knet.mail.population;

import org.jspecify.annotations.NullMarked;
