package io.azt3knet.mail.send;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small SMTP server for tests, on 127.0.0.1, that speaks what GreenMail does not: STARTTLS. AUTH PLAIN
 * is offered only after STARTTLS, as real submission servers do; recipients whose local part starts with
 * {@code refused} get 550. It records every command line and every message, and counts connections.
 * A {@link Fault} makes it misbehave in one of the ways the fault matrix of {@code docs/reliability.md} lists.
 */
final class StartTlsSmtpServer implements AutoCloseable {

    /** How the server misbehaves; {@link #messages} holds what it kept (accepted, or stored before the fault). */
    enum Fault {
        /** Behaves. */
        NONE,
        /** Closes the connection before its greeting: nothing was done. */
        DROP_BEFORE_GREETING,
        /** Stores the message after DATA, then closes the connection without answering: it may be delivered. */
        DROP_AFTER_THE_MESSAGE,
        /** Stores the message after DATA, then never answers. */
        SILENT_AFTER_THE_MESSAGE,
        /** Answers the end of DATA with 451 (try again later), keeping nothing. */
        TRANSIENT_451,
        /** Answers the end of DATA with 554 (refused for good), keeping nothing. */
        PERMANENT_554,
        /** Answers AUTH with 454 (temporary authentication failure), whatever the credentials. */
        TEMPORARY_AUTH_454
    }

    volatile Fault fault = Fault.NONE;

    private final ServerSocket listener;
    private final SSLContext tls;
    private final boolean offerStartTls;
    private final String user;
    private final String password;
    private final Thread acceptor;
    final List<String> commands = new CopyOnWriteArrayList<>();
    final List<byte[]> messages = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();

    StartTlsSmtpServer(boolean offerStartTls, String user, String password) throws IOException {
        this(offerStartTls, user, password, TestTls.serverContext());
    }

    StartTlsSmtpServer(boolean offerStartTls, String user, String password, SSLContext tls) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.tls = tls;
        this.offerStartTls = offerStartTls;
        this.user = user;
        this.password = password;
        this.acceptor = new Thread(this::acceptLoop, "test-smtp-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> session(s), "test-smtp-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void session(Socket plain) {
        Socket socket = plain;
        boolean secure = false;
        boolean authenticated = false;
        try {
            socket.setSoTimeout(30_000);
            if (fault == Fault.DROP_BEFORE_GREETING) {
                return;
            }
            BufferedReader in = reader(socket);
            OutputStream out = socket.getOutputStream();
            reply(out, "220 localhost test ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                commands.add(line);
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
                switch (verb) {
                    case "EHLO" -> {
                        StringBuilder r = new StringBuilder("250-localhost\r\n");
                        if (offerStartTls && !secure) {
                            r.append("250-STARTTLS\r\n");
                        }
                        if (secure) {
                            r.append("250-AUTH PLAIN\r\n");
                        }
                        r.append("250 8BITMIME");
                        reply(out, r.toString());
                    }
                    case "STAR" -> {
                        reply(out, "220 go ahead");
                        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket,
                                socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                        ssl.setUseClientMode(false);
                        ssl.startHandshake();
                        socket = ssl;
                        secure = true;
                        in = reader(socket);
                        out = socket.getOutputStream();
                    }
                    case "AUTH" -> {
                        String[] parts = line.split(" ");
                        String response = parts.length > 2 ? parts[2] : null;
                        if (response == null) {
                            reply(out, "334 ");
                            response = in.readLine();
                        }
                        String[] fields = new String(Base64.getDecoder().decode(response), StandardCharsets.UTF_8)
                                .split("\0", -1);
                        authenticated = secure && fields.length == 3 && fields[1].equals(user) && fields[2].equals(password)
                                && fault != Fault.TEMPORARY_AUTH_454;
                        reply(out, authenticated ? "235 2.7.0 Authentication successful"
                                : fault == Fault.TEMPORARY_AUTH_454 ? "454 4.7.0 Temporary authentication failure"
                                : "535 5.7.8 Authentication credentials invalid");
                    }
                    case "MAIL" -> reply(out, authenticated ? "250 OK" : "530 5.7.0 Authentication required");
                    case "RCPT" -> reply(out, line.toLowerCase(Locale.ROOT).contains("<refused")
                            ? "550 5.1.1 mailbox unavailable" : "250 OK");
                    case "DATA" -> {
                        reply(out, "354 end with .");
                        ByteArrayOutputStream message = new ByteArrayOutputStream();
                        String data;
                        while ((data = in.readLine()) != null && !data.equals(".")) {
                            message.writeBytes((data.startsWith(".") ? data.substring(1) : data)
                                    .getBytes(StandardCharsets.ISO_8859_1));
                            message.writeBytes(new byte[] {'\r', '\n'});
                        }
                        switch (fault) {
                            case DROP_AFTER_THE_MESSAGE -> {
                                messages.add(message.toByteArray());
                                return;
                            }
                            case SILENT_AFTER_THE_MESSAGE -> {
                                messages.add(message.toByteArray());
                                while (in.readLine() != null) {
                                    // never answers; the client gives up and closes
                                }
                                return;
                            }
                            case TRANSIENT_451 -> reply(out, "451 4.3.0 Temporary local problem, please try again later");
                            case PERMANENT_554 -> reply(out, "554 5.6.0 Message rejected: content refused");
                            default -> {
                                messages.add(message.toByteArray());
                                reply(out, "250 OK queued");
                            }
                        }
                    }
                    case "RSET", "NOOP" -> reply(out, "250 OK");
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "502 command not implemented");
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away or failed the handshake: end the session
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private static BufferedReader reader(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
