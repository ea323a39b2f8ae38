package io.azt3knet.mail.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketPermission;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.Permission;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A security manager for a forked JVM (Java 17 to 23: {@code -Djava.security.manager=<this class>}) that allows
 * everything except reaching beyond loopback: every name lookup and every outgoing connection goes through
 * {@link #checkConnect(String, int)} (the JDK calls it for {@code InetAddress} lookups, sockets, socket channels and so
 * for {@code java.net.http}), and one whose host is not {@code localhost} or a loopback literal is written to the file
 * named by the system property {@value #REPORT_PROPERTY} (one line: host, port, the calling frames) and refused with a
 * {@link SecurityException} before anything leaves the machine.
 */
@SuppressWarnings("removal")
public final class LoopbackOnlyGuard extends SecurityManager {

    /** The system property naming the file violations are appended to. */
    public static final String REPORT_PROPERTY = "azt3knet.loopback.guard.report";

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private final Path report;

    /** Instantiated by the JVM at start-up from {@code -Djava.security.manager}. */
    public LoopbackOnlyGuard() {
        String file = System.getProperty(REPORT_PROPERTY);
        if (file == null) {
            throw new IllegalStateException("set -D" + REPORT_PROPERTY + "=<file>");
        }
        this.report = Path.of(file);
    }

    /** Loopback names and literals; anything else, the machine's own host name included, is beyond loopback. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.equals("localhost.") || IPV4_LOOPBACK.matcher(h).matches() || h.equals("::1")
                || h.equals("0:0:0:0:0:0:0:1");
    }

    @Override
    public void checkConnect(String host, int port) {
        if (!isLoopback(host)) {
            refuse(host, port);
        }
    }

    @Override
    public void checkConnect(String host, int port, Object context) {
        checkConnect(host, port);
    }

    @Override
    public void checkPermission(Permission permission) {
        if (permission instanceof SocketPermission socket) {
            check(socket);
        }
    }

    @Override
    public void checkPermission(Permission permission, Object context) {
        checkPermission(permission);
    }

    /** Permissions checked directly (not through checkConnect): connect or resolve actions on their host. */
    private void check(SocketPermission permission) {
        String actions = permission.getActions();
        if (!actions.contains("connect") && !actions.contains("resolve")) {
            return; // listen and accept: the sandbox's own servers, bound to loopback by the code under test
        }
        String name = permission.getName();
        String host = name.startsWith("[") ? name.substring(0, name.indexOf(']') + 1)
                : name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
        if (!isLoopback(host)) {
            refuse(host, -1);
        }
    }

    private void refuse(String host, int port) {
        StringBuilder line = new StringBuilder("beyond loopback: ").append(host).append(" port ").append(port);
        StackTraceElement[] frames = new Throwable().getStackTrace();
        for (int i = 0, shown = 0; i < frames.length && shown < 12; i++) {
            if (!frames[i].getClassName().equals(LoopbackOnlyGuard.class.getName())) {
                line.append(" <- ").append(frames[i]);
                shown++;
            }
        }
        try {
            Files.writeString(report, line.append('\n'), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new SecurityException("refused by LoopbackOnlyGuard: " + host + " port " + port);
    }
}
