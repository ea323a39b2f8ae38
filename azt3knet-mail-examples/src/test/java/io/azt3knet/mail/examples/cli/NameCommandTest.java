package io.azt3knet.mail.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.naming.MailboxNamer;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NameCommandTest {

    static final Map<String, String> NO_ENV = Map.of();
    static final String AT = "2024-10-05T12:30:45Z";
    static final String[] FIXED = {"name", "--seed", "42", "--at", AT, "--domain", "agents.example.org"};

    static String[] fixed(String... more) {
        List<String> args = new ArrayList<>(List.of(FIXED));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void printsTheGoldenAddressesInInputOrderExactlyAsTheLibraryNamerDoes() {
        String csv = "Jane,Doe\r\n"
                + "Zoë,Ørsted-Müller,,agent-7\r\n"
                + "Юлия,Жукова\r\n"
                + "Γιώργος,Παπαδόπουλος\r\n"
                + "伟,王\r\n"
                + ",,jdoe_42\r\n"
                + "\"Mary, Ann\",\"O\"\"Neil\"\r\n"
                + "\"a@b.c/\r\nBcc: evil@x\",z\r\n";
        List<AgentIdentity> agents = List.of(AgentIdentity.of("Jane", "Doe"),
                new AgentIdentity("Zoë", "Ørsted-Müller", "", "agent-7"), AgentIdentity.of("Юлия", "Жукова"),
                AgentIdentity.of("Γιώργος", "Παπαδόπουλος"), AgentIdentity.of("伟", "王"),
                new AgentIdentity("", "", "jdoe_42", ""), AgentIdentity.of("Mary, Ann", "O\"Neil"),
                AgentIdentity.of("a@b.c/\r\nBcc: evil@x", "z"));
        List<String> library = MailboxNamer.standard().domain("agents.example.org").seed(42)
                .clock(Clock.fixed(Instant.parse(AT), ZoneOffset.UTC)).build()
                .nameAll(agents).stream().map(MailboxAddress::value).toList();

        CommandRun run = CommandRun.run(csv, NO_ENV, FIXED);

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.lines()).isEqualTo(library).containsExactly(
                "jane.doe.942.20241005123045@agents.example.org",
                "zoe.orstedmuller.216.20241005123045@agents.example.org",
                "yuliya.zhukova.590.20241005123045@agents.example.org",
                "giorgos.papadopoulos.150.20241005123045@agents.example.org",
                "wei.wang.530.20241005123045@agents.example.org",
                "jdoe42.jdoe42.626.20241005123045@agents.example.org",
                "maryann.oneil.554.20241005123045@agents.example.org",
                "abcbccevilx.z.708.20241005123045@agents.example.org");
    }

    @Test
    void printsOneJsonObjectPerAgentWithItsInputLine() {
        Map<String, String> env = Map.of("DESEC_DOMAIN", "env.example.org");
        String csv = "Jane,Doe\n\"Mary, Ann\",Smith\n";
        List<String> plain = CommandRun.run(csv, env, "name", "--seed", "42", "--at", AT).lines();
        assertThat(plain.get(0)).isEqualTo("jane.doe.942.20241005123045@env.example.org");
        assertThat(CommandRun.run(csv, env, "name", "--seed", "42", "--at", AT, "--json").lines()).containsExactly(
                "{\"line\":1,\"address\":\"" + plain.get(0) + "\"}",
                "{\"line\":2,\"address\":\"" + plain.get(1) + "\"}");
    }

    @Test
    void takesDomainAndPrefixFromTheEnvironmentUnlessOptionsOverrideThem() {
        Map<String, String> env = Map.of("DESEC_DOMAIN", "env.example.org", "AZT3KNET_AGENT_MAIL_PREFIX", "crew");
        assertThat(CommandRun.run("Jane,Doe\n", env, "name", "--seed", "42", "--at", AT).lines())
                .containsExactly("crew.jane.doe.942.20241005123045@env.example.org");
        assertThat(CommandRun.run("Jane,Doe\n", env, "name", "--seed", "42", "--at", AT,
                "--domain", "opt.example.org", "--prefix", "az").lines())
                .containsExactly("az.jane.doe.942.20241005123045@opt.example.org");
    }

    @Test
    void readsTheEnvFileGivenBeforeOrAfterTheCommand(@TempDir Path dir) throws IOException {
        Path envFile = Files.writeString(dir.resolve("test.env"), "DESEC_DOMAIN=dotenv.example.org\n");
        Files.setPosixFilePermissions(envFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String expected = "jane.doe.942.20241005123045@dotenv.example.org";
        assertThat(CommandRun.run("Jane,Doe\n", NO_ENV, "--env-file", envFile.toString(),
                "name", "--seed", "42", "--at", AT).lines()).containsExactly(expected);
        assertThat(CommandRun.run("Jane,Doe\n", NO_ENV,
                "name", "--seed", "42", "--at", AT, "--env-file", envFile.toString()).lines()).containsExactly(expected);
    }

    @Test
    void refusesAGroupWritableEnvFileWithExit2(@TempDir Path dir) throws IOException {
        Path envFile = Files.writeString(dir.resolve("planted.env"), "DESEC_DOMAIN=dotenv.example.org\n");
        Files.setPosixFilePermissions(envFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));

        CommandRun run = CommandRun.run("Jane,Doe\n", NO_ENV, "--env-file", envFile.toString(), "name", "--seed", "42");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("planted.env").contains("writable by its group").contains("chmod 600");
    }

    @Test
    void usesTheCurrentTimeWithoutAt() {
        CommandRun run = CommandRun.run("Jane,Doe\n", NO_ENV, "name", "--domain", "x.example.org");
        assertThat(run.exitCode()).isZero();
        String second = run.lines().get(0).split("[.@]")[3];
        Instant named = LocalDateTime.parse(second, DateTimeFormatter.ofPattern("yyyyMMddHHmmss")).toInstant(ZoneOffset.UTC);
        assertThat(named).isBetween(Instant.now().minusSeconds(3600), Instant.now().plusSeconds(1));
    }

    @Test
    void acceptsAnInstantWithAnOffset() {
        assertThat(CommandRun.run("Jane,Doe\n", NO_ENV, "name", "--seed", "42", "--at", "2024-10-05T14:30:45+02:00",
                "--domain", "agents.example.org").lines())
                .containsExactly("jane.doe.942.20241005123045@agents.example.org");
    }

    @Test
    void exitsWithTwoNamingEveryMissingOrInvalidVariable() {
        CommandRun run = CommandRun.run("Jane,Doe\n", Map.of("AZT3KNET_AGENT_MAIL_PREFIX", "Not Valid"), "name");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("DESEC_DOMAIN is required").contains("AZT3KNET_AGENT_MAIL_PREFIX must be");
    }

    @Test
    void exitsWithTwoWhenThePrefixIsTooLong() {
        CommandRun run = CommandRun.run("Jane,Doe\n", NO_ENV, fixed("--prefix", "abcdefghijkl"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("AZT3KNET_AGENT_MAIL_PREFIX must have at most 11 characters");
    }

    @Test
    void exitsWithTwoOnBadUsage() {
        assertThat(CommandRun.run("", NO_ENV, fixed("--at", "yesterday")))
                .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).contains("'yesterday' is not an ISO-8601 instant"));
        assertThat(CommandRun.run("", NO_ENV, fixed("--seed", "many")).exitCode()).isEqualTo(2);
        assertThat(CommandRun.run("", NO_ENV, fixed("--no-such-option")).exitCode()).isEqualTo(2);
        CommandRun noCommand = CommandRun.run("", NO_ENV);
        assertThat(noCommand.exitCode()).isEqualTo(2);
        assertThat(noCommand.err()).contains("Missing command").contains("name");
    }

    @Test
    void printsHelpAndExitsWithZero() {
        CommandRun run = CommandRun.run("", NO_ENV, "name", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("RFC 4180 CSV").contains("--seed=<long>").contains("Exit codes");
    }

    @Test
    void exitsWithTwoNamingTheLineOfMalformedCsv() {
        CommandRun unclosed = CommandRun.run("Jane,Doe\nJohn,\"Roe\n", NO_ENV, FIXED);
        assertThat(unclosed.exitCode()).isEqualTo(2);
        assertThat(unclosed.err()).contains("line 2: malformed CSV: a quoted field is never closed");
        CommandRun tooFew = CommandRun.run("Jane,Doe\n\"multi\nline\",x\nJohn\n", NO_ENV, FIXED);
        assertThat(tooFew.exitCode()).isEqualTo(2);
        assertThat(tooFew.err()).contains("line 4: expected first,last[,username[,id]], got 1 field");
        assertThat(tooFew.lines()).hasSize(2);
        CommandRun tooMany = CommandRun.run("a,b,c,d,e\n", NO_ENV, FIXED);
        assertThat(tooMany.err()).contains("line 1: expected first,last[,username[,id]], got 5 fields");
    }

    @Test
    void exitsWithOneWhenThe1001stIdenticalNameInOneSecondCannotBeNamed() {
        String csv = "Jane,Doe\n".repeat(1001);
        CommandRun run = CommandRun.run(csv, NO_ENV, FIXED);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.lines()).hasSize(1000).doesNotHaveDuplicates();
        assertThat(run.err()).contains("line 1001:").contains("'jane.doe' at 20241005123045");
    }

    @Test
    void skipsBlankLinesAndAByteOrderMark() {
        CommandRun run = CommandRun.run("\uFEFFJane,Doe\n\n\r\nJohn,Roe", NO_ENV, FIXED);
        assertThat(run.exitCode()).isZero();
        assertThat(run.lines()).hasSize(2).allMatch(l -> l.matches("j[a-z]+\\.[a-z]+\\.\\d{3}\\.20241005123045@agents\\.example\\.org"));
    }

    @Test
    void streamsAHundredThousandAgents() {
        int count = 100_000;
        LineCounter out = new LineCounter();
        CommandRun run = CommandRun.run(new GeneratedCsv(count), out, NO_ENV, FIXED);
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(out.lines).isEqualTo(count);
        assertThat(out.distinct).hasSize(count);
    }

    @Test
    void printsEachAddressBeforeWaitingForMoreInput() {
        StringWriter out = new StringWriter();
        List<String> seenBeforeReading = new ArrayList<>();
        InputStream stdin = new InputStream() {
            private final byte[][] lines = {"Jane,Doe\n".getBytes(StandardCharsets.UTF_8),
                "John,Roe\n".getBytes(StandardCharsets.UTF_8)};
            private int line;
            private int offset;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (line < lines.length && offset == lines[line].length) {
                    line++;
                    offset = 0;
                }
                if (line >= lines.length) {
                    return -1;
                }
                if (offset == 0) {
                    seenBeforeReading.add(out.toString());
                }
                int n = Math.min(len, lines[line].length - offset);
                System.arraycopy(lines[line], offset, b, off, n);
                offset += n;
                return n;
            }

            @Override
            public int available() {
                return line < lines.length ? lines[line].length - offset : 0;
            }
        };
        CommandRun run = CommandRun.run(stdin, out, NO_ENV, FIXED);
        assertThat(run.exitCode()).isZero();
        assertThat(seenBeforeReading).hasSize(2);
        assertThat(seenBeforeReading.get(0)).isEmpty();
        assertThat(seenBeforeReading.get(1)).startsWith("jane.doe.942.").endsWith("\n");
    }

    /** {@code first<i>,last<i>} lines, generated as they are read. */
    static final class GeneratedCsv extends InputStream {
        private final int count;
        private int next;
        private byte[] current = new byte[0];
        private int offset;

        GeneratedCsv(int count) {
            this.count = count;
        }

        @Override
        public int read() {
            if (offset == current.length) {
                if (next == count) {
                    return -1;
                }
                current = ("First" + next + ",Last" + next + "\n").getBytes(StandardCharsets.US_ASCII);
                offset = 0;
                next++;
            }
            return current[offset++];
        }
    }

    /** Counts lines and remembers distinct addresses, without keeping the output text. */
    static final class LineCounter extends Writer {
        int lines;
        final Set<String> distinct = new HashSet<>();
        private final StringBuilder line = new StringBuilder();

        @Override
        public void write(char[] cbuf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (cbuf[i] == '\n') {
                    lines++;
                    distinct.add(line.toString());
                    line.setLength(0);
                } else {
                    line.append(cbuf[i]);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return "";
        }
    }
}
