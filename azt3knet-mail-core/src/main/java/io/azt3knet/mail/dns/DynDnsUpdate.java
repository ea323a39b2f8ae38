package io.azt3knet.mail.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.Objects;
import java.util.Optional;

/**
 * A dynamic DNS update: the addresses a host name should point at. A family left empty is preserved as
 * it is, never deleted.
 *
 * @param hostname the host name (the domain itself, or a name under it)
 * @param ipv4 the new IPv4 address, or empty to keep the current one
 * @param ipv6 the new IPv6 address, or empty to keep the current one
 */
public record DynDnsUpdate(String hostname, Optional<Inet4Address> ipv4, Optional<Inet6Address> ipv6) {

    /** Validates that nothing is null. */
    public DynDnsUpdate {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(ipv4, "ipv4");
        Objects.requireNonNull(ipv6, "ipv6");
    }

    /**
     * @param hostname the host name
     * @param ipv4 its new IPv4 address
     * @return an update of the IPv4 address that preserves IPv6
     */
    public static DynDnsUpdate ipv4(String hostname, Inet4Address ipv4) {
        return new DynDnsUpdate(hostname, Optional.of(ipv4), Optional.empty());
    }
}
