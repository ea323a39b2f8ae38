package io.azt3knet.mail.internal.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The transport rule for endpoints: {@code https://}, or plain {@code http://} only on this machine's loopback. */
public final class Loopback {

    private Loopback() {
    }

    /**
     * @param host a host name or literal address, IPv6 literals with or without brackets
     * @return whether it names this machine's loopback interface ({@code localhost}, {@code 127.0.0.0/8},
     *     {@code ::1}); a name other than {@code localhost} is never looked up
     */
    public static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (h.matches("[0-9.]+") || h.contains(":")) {
            try {
                return InetAddress.getByName(h).isLoopbackAddress(); // a literal: no lookup happens
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }
}
