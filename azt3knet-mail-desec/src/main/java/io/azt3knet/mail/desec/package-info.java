/**
 * deSEC (desec.io / dedyn.io) for the DNS that mail needs.
 *
 * <ul>
 *   <li>{@link io.azt3knet.mail.desec.DesecDnsManager}: the {@link io.azt3knet.mail.dns.DnsManager} on deSEC
 *       (plan, atomic apply in one bulk {@code PATCH}, DynDNS, public IPv4);</li>
 *   <li>{@link io.azt3knet.mail.desec.DesecClient}: the REST API (domains, record sets, pagination, rate limits,
 *       typed errors);</li>
 *   <li>{@link io.azt3knet.mail.dns.DynDnsScheduler}: keeps a host name's address fresh;</li>
 *   <li>{@link io.azt3knet.mail.desec.DesecSettings}: the {@code DESEC_*} variables.</li>
 * </ul>
 */
@NullMarked
package io.azt3knet.mail.desec;

import org.jspecify.annotations.NullMarked;
