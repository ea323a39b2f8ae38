package io.azt3knet.mail.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.inbox.MessageQuery;
import io.azt3knet.mail.provisioning.MailboxCredentials;
import io.azt3knet.mail.provisioning.MailboxRequest;
import io.azt3knet.mail.sandbox.Sandbox;
import io.azt3knet.mail.send.MailService;
import io.azt3knet.mail.send.OutgoingMessage;
import io.azt3knet.mail.send.SendOutcome;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of the sandbox, end to end and of its inbound webhook alone, in one run on one machine.
 *
 * <ul>
 *   <li>end to end: {@code senders} agents send concurrently over SMTP (STARTTLS, AUTH, one connection per agent for
 *       its batch) messages of about {@code bytes} bytes each to other agents; a message counts when its 250 came
 *       back, which the sandbox sends only once the webhook stored it in the recipient's Maildir;</li>
 *   <li>webhook alone: the same number of concurrent clients POST Mailjet payloads of the same size straight to the
 *       sandbox's webhook (same parser, same Maildir sink), each answered 200 once stored.</li>
 * </ul>
 * Both phases run after a warm-up of their own and are checked: every message must be stored exactly once. The
 * issue's goal is the end-to-end rate at 50% or more of the webhook-alone rate.
 *
 * <p>Run (after {@code ./mvnw -B -q package -DskipTests}):
 * <pre>
 * java -cp azt3knet-mail-benchmarks/target/benchmarks.jar io.azt3knet.mail.benchmarks.SandboxLoadRun \
 *     [messages=800] [senders=8] [bytes=4096]
 * </pre>
 * Exits with 1 if a message was lost or stored twice. Not a test: timing depends on the machine.
 */
public final class SandboxLoadRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SandboxLoadRun() {
    }

    /**
     * @param args messages, concurrent senders, message size in bytes
     * @throws Exception if the run cannot be set up
     */
    public static void main(String[] args) throws Exception {
        int messages = arg(args, 0, 800);
        int senders = arg(args, 1, 8);
        int bytes = arg(args, 2, 4096);
        if (messages < senders || senders < 1 || senders > 64 || bytes < 100 || bytes > 10_000_000) {
            System.err.println("usage: SandboxLoadRun [messages >= senders] [senders 1..64] [bytes 100..10000000]");
            System.exit(2);
        }
        Path dir = Files.createTempDirectory("azt3knet-sandbox-load");
        boolean ok;
        try (Sandbox sandbox = Sandbox.builder(dir).webhookThreads(senders).start()) {
            List<MailboxCredentials> agents = new ArrayList<>();
            for (int i = 0; i < 2 * senders; i++) {
                agents.add(sandbox.provisioner().createMailbox(MailboxRequest.of(
                        new MailboxAddress("load.agent" + i + ".00" + (i % 10) + ".20241005123045", sandbox.domain())))
                        .credentials());
            }
            String secret = Files.readString(dir.resolve("webhook.secret"), StandardCharsets.US_ASCII).strip();
            endToEnd(sandbox, agents, senders, Math.max(senders, messages / 10), bytes, "warm-up");
            webhookAlone(sandbox, secret, agents, senders, Math.max(senders, messages / 10), bytes, "warm-up");

            double smtp = endToEnd(sandbox, agents, senders, messages, bytes, "run");
            double webhook = webhookAlone(sandbox, secret, agents, senders, messages, bytes, "run");
            long stored = 0;
            for (MailboxCredentials a : agents) {
                stored += sandbox.inbox().list(a.address(), MessageQuery.builder().limit(100_000).build()).size();
            }
            long expected = 2L * (messages + Math.max(senders, messages / 10));
            ok = stored == expected;
            System.out.printf(Locale.ROOT, "end to end (SMTP accepted -> stored): %8.1f msgs/s  (%d senders, %d messages"
                    + " of %d bytes)%n", smtp, senders, messages, bytes);
            System.out.printf(Locale.ROOT, "inbound webhook alone:                %8.1f msgs/s  (%d clients)%n", webhook,
                    senders);
            System.out.printf(Locale.ROOT, "ratio: %.0f%% of the webhook-alone rate (goal: 50%% or more)%n",
                    100 * smtp / webhook);
            System.out.printf(Locale.ROOT, "stored %d of %d messages, each once: %s%n", stored, expected, ok ? "yes" : "NO");
        } finally {
            deleteQuietly(dir);
        }
        System.exit(ok ? 0 : 1);
    }

    private static double endToEnd(Sandbox sandbox, List<MailboxCredentials> agents, int senders, int messages,
            int bytes, String phase) throws Exception {
        int perSender = messages / senders;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        long start = System.nanoTime();
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                MailboxCredentials from = agents.get(s);
                MailboxCredentials to = agents.get(senders + s);
                int sender = s;
                done.add(pool.submit(() -> {
                    List<OutgoingMessage> batch = new ArrayList<>();
                    for (int m = 0; m < perSender; m++) {
                        batch.add(OutgoingMessage.builder().to(to.address().value())
                                .subject(phase + " " + sender + "/" + m).text(body(sender * 1_000_000L + m, bytes)).build());
                    }
                    try (MailService mail = sandbox.mailService(from)) {
                        int sent = 0;
                        for (SendOutcome o : mail.sendAll(batch)) {
                            sent += o instanceof SendOutcome.Sent ? 1 : 0;
                        }
                        return sent;
                    }
                }));
            }
            int sent = 0;
            for (Future<Integer> f : done) {
                sent += f.get(10, TimeUnit.MINUTES);
            }
            if (sent != perSender * senders) {
                throw new IllegalStateException("only " + sent + " of " + perSender * senders + " messages were accepted");
            }
        } finally {
            pool.shutdownNow();
        }
        return perSender * senders / ((System.nanoTime() - start) / 1e9);
    }

    private static double webhookAlone(Sandbox sandbox, String secret, List<MailboxCredentials> agents, int clients,
            int messages, int bytes, String phase) throws Exception {
        int perClient = messages / clients;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).proxy(HttpClient.Builder.NO_PROXY)
                .build();
        String authorization = "Basic " + Base64.getEncoder()
                .encodeToString(("load:" + secret).getBytes(StandardCharsets.UTF_8));
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                MailboxCredentials from = agents.get(c);
                MailboxCredentials to = agents.get(clients + c);
                int client = c;
                done.add(pool.submit(() -> {
                    for (int m = 0; m < perClient; m++) {
                        byte[] payload = payload(from.address(), to.address(), phase + " webhook " + client + "/" + m,
                                body(7_000_000L + client * 1_000_000L + m, bytes));
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(sandbox.webhookUrl())
                                .timeout(Duration.ofSeconds(60))
                                .header("Content-Type", "application/json").header("Authorization", authorization)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException("the webhook answered " + r.statusCode() + ": " + r.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return perClient * clients / ((System.nanoTime() - start) / 1e9);
    }

    /** A Mailjet Parse API payload of one plain-text message, as Mailjet posts it. */
    private static byte[] payload(MailboxAddress from, MailboxAddress to, String subject, String text) throws Exception {
        ObjectNode p = JSON.createObjectNode();
        p.put("Sender", from.value());
        p.put("Recipient", to.value());
        p.put("Date", "20241005T123045");
        p.put("From", "<" + from.value() + ">");
        p.put("Subject", subject);
        ObjectNode headers = p.putObject("Headers");
        headers.putArray("MIME-Version").add("1.0");
        headers.putArray("Content-Type").add("text/plain; charset=UTF-8");
        headers.put("Date", "Sat, 5 Oct 2024 12:30:45 +0000");
        headers.put("From", "<" + from.value() + ">");
        headers.put("To", "<" + to.value() + ">");
        headers.put("Subject", subject);
        headers.put("Message-ID", "<" + subject.replaceAll("[^a-z0-9]", ".") + "." + System.nanoTime() + "@load.test>");
        p.putArray("Parts");
        p.put("ContentRef", "Text-part");
        p.put("Text-part", text);
        p.put("SpamAssassinScore", "0.000");
        return JSON.writeValueAsBytes(p);
    }

    private static String body(long seed, int bytes) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder(bytes + 80);
        while (sb.length() < bytes) {
            for (int w = 0; w < 10; w++) {
                int len = 2 + random.nextInt(8);
                for (int i = 0; i < len; i++) {
                    sb.append((char) ('a' + random.nextInt(26)));
                }
                sb.append(' ');
            }
            sb.append("\r\n");
        }
        return sb.toString();
    }

    private static int arg(String[] args, int index, int fallback) {
        if (args.length <= index) {
            return fallback;
        }
        String a = args[index];
        return Integer.parseInt(a.contains("=") ? a.substring(a.indexOf('=') + 1) : a);
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
