package io.azt3knet.mail.examples.cli;

import io.azt3knet.mail.AgentIdentity;
import io.azt3knet.mail.NamingExhaustedException;
import io.azt3knet.mail.config.ProvisioningSettings;
import io.azt3knet.mail.naming.StandardMailboxNamer;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code azt3knet-mail name}: reads agents as CSV from standard input and prints their addresses, one
 * per line, in input order, as it goes (constant memory apart from the addresses the namer remembers).
 */
@Command(name = "name",
        description = {"Print the mailbox address of each agent read from standard input.",
            "Input: RFC 4180 CSV (UTF-8, no header), one agent per record: first,last[,username[,id]].",
            "The username stands in for a missing name; the id keys the three digits (else the position)."})
final class NameCommand implements Callable<Integer> {

    @ParentCommand
    private @Nullable Azt3knetMailCommand root;

    @Mixin
    private NamingOptions naming = new NamingOptions();

    @Option(names = "--json", description = "print one JSON object per agent: line, address")
    private boolean json;

    @Override
    public Integer call() throws IOException {
        Azt3knetMailCommand top = Azt3knetMailCommand.parent(root, "name");
        ProvisioningSettings settings = ProvisioningSettings.from(top.config(naming.overrides()));
        StandardMailboxNamer namer = StandardMailboxNamer.builder(settings)
                .seed(naming.seed())
                .clock(naming.at().map(at -> Clock.fixed(at, ZoneOffset.UTC)).orElseGet(Clock::systemUTC))
                .build();

        CsvReader csv = new CsvReader(new InputStreamReader(top.in(), StandardCharsets.UTF_8));
        PrintWriter out = top.out();
        for (Optional<CsvReader.Record> next = csv.next(); next.isPresent(); next = csv.next()) {
            CsvReader.Record record = next.get();
            String address = name(namer, record);
            out.println(json ? JsonLines.line(JsonLines.object().put("line", record.line()).put("address", address))
                    : address);
            if (!csv.ready()) {
                out.flush(); // nothing more to read right now: show what is done instead of waiting
            }
        }
        out.flush();
        return Azt3knetMailCommand.EXIT_OK;
    }

    private static String name(StandardMailboxNamer namer, CsvReader.Record record) {
        List<String> f = record.fields();
        if (f.size() < 2 || f.size() > 4) {
            throw CliException.badInput("line " + record.line() + ": expected first,last[,username[,id]], got "
                    + f.size() + (f.size() == 1 ? " field" : " fields"));
        }
        AgentIdentity agent = new AgentIdentity(f.get(0), f.get(1), f.size() > 2 ? f.get(2) : "",
                f.size() > 3 ? f.get(3) : "");
        try {
            return namer.name(agent).value();
        } catch (NamingExhaustedException e) {
            throw CliException.failed("line " + record.line() + ": " + e.getMessage(), e);
        }
    }
}
