package io.azt3knet.mail.examples.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The guard's own check, run in a forked JVM under {@link LoopbackOnlyGuard}: a loopback connection must work, and a
 * name lookup, a socket and an HTTP request beyond loopback must each be refused (and reported). Prints one line per
 * attempt; the test reads them and the guard's report.
 */
public final class LoopbackGuardProbe {

    private LoopbackGuardProbe() {
    }

    /** @param args none */
    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket()) {
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5_000);
            System.out.println("loopback: connected");
        }
        attempt("lookup", () -> InetAddress.getByName("example.org"));
        attempt("socket", () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}), 25), 2_000);
            }
            return null;
        });
        attempt("http", () -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                .send(HttpRequest.newBuilder(URI.create("http://192.0.2.1:8080/")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding()));
    }

    private interface Attempt {
        Object run() throws Exception;
    }

    private static void attempt(String what, Attempt attempt) {
        try {
            attempt.run();
            System.out.println(what + ": went through");
        } catch (SecurityException e) {
            System.out.println(what + ": refused");
        } catch (Exception e) {
            // java.net.http wraps the refusal; anything else (a timeout) means the attempt left the guard's control
            boolean refused = false;
            for (Throwable t = e; t != null; t = t.getCause()) {
                refused |= t instanceof SecurityException;
            }
            System.out.println(what + ": " + (refused ? "refused" : "failed otherwise: " + e));
        }
    }
}
