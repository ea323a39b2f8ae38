/**
 * Azt3kNet Mail for deSEC: the REST client, {@link io.azt3knet.mail.desec.DesecDnsManager} (plan, atomic bulk
 * write) and the DynDNS updater.
 */
module io.azt3knet.mail.desec {
    requires transitive io.azt3knet.mail.core;
    requires org.slf4j;

    exports io.azt3knet.mail.desec;

    provides io.azt3knet.mail.spi.DnsManagerFactory with io.azt3knet.mail.desec.DesecDnsManagerFactory;
}
