package io.azt3knet.mail.examples.cli;

import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One in-process run of the command line: exit code, standard output and standard error. */
record CommandRun(int exitCode, String out, String err) {

    static CommandRun run(String stdin, Map<String, String> environment, String... args) {
        return run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new StringWriter(), environment, args);
    }

    static CommandRun run(InputStream stdin, Writer stdout, Map<String, String> environment, String... args) {
        StringWriter err = new StringWriter();
        int code = Azt3knetMailCommand.run(new CliEnvironment(stdin, new PrintWriter(new BufferedWriter(stdout)),
                new PrintWriter(err), environment), args);
        return new CommandRun(code, stdout.toString(), err.toString());
    }

    List<String> lines() {
        return out.lines().toList();
    }
}
