/**
 * The DNS that mail needs: {@link io.azt3knet.mail.dns.DnsManager} reads a zone, plans the change from
 * {@link io.azt3knet.mail.dns.DesiredDns} to a {@link io.azt3knet.mail.dns.DnsPlan} and applies it atomically;
 * only the record sets the library manages are ever touched.
 */
@NullMarked
package io.azt3knet.mail.dns;

import org.jspecify.annotations.NullMarked;
