package org.migtrace.cli.analysis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.migtrace.analysis.TraceDatabase;
import org.migtrace.cli.FormatMixin;
import org.migtrace.cli.HelpMixin;
import org.migtrace.uapi.MigtraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code migtrace sql TRACE "SELECT ..."}: any read-only query over the views; a prompt without one. */
@Command(
        name = "sql",
        header = "Run a read-only SQL query over a trace's tables and views.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  migtrace sql runs/nic \"SELECT * FROM verdict\" --format csv",
            "  migtrace sql runs/nic --db nic.duckdb",
        },
        description = {
            "Run a SQL query (DuckDB's dialect) over a trace's tables and views: events, dirty_runs, iterations, "
                    + "device_states, dirty_rate, convergence, verdict, violations, divergences, trace_info, devices "
                    + "(docs/analysis.md). TRACE may also be a replay's output directory alone (its divergences "
                    + "table). Only SELECT queries run. Without QUERY, an interactive prompt reads "
                    + "statements ending with ';' from standard input until end of input or '.quit'."
        })
public final class SqlCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "TRACE", description = "A trace directory, or a replay's output directory.")
    Path trace;

    @Parameters(index = "1", arity = "0..1", paramLabel = "QUERY", description = "The query; omit for a prompt.")
    String query;

    @Mixin
    FormatMixin format;

    @Mixin
    DbOption db;

    @Mixin
    ReplayOption replay;

    @Mixin
    HelpMixin help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws MigtraceException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (TraceDatabase d = TraceDatabase.load(trace, db.file(), replay.path())) {
            if (query != null) {
                format.format().write(Tables.of(d.readOnlyQuery(query)), out);
                return 0;
            }
            prompt(d, out);
        }
        return 0;
    }

    /** Reads statements up to ';' and prints each result; a failed one prints its error and the prompt goes on. */
    private void prompt(TraceDatabase d, PrintWriter out) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        StringBuilder pending = new StringBuilder();
        out.print("migtrace> ");
        out.flush();
        String line;
        while ((line = in.readLine()) != null) {
            if (pending.length() == 0 && line.strip().equals(".quit")) {
                break;
            }
            pending.append(line).append('\n');
            if (line.strip().endsWith(";")) {
                try {
                    format.format().write(Tables.of(d.readOnlyQuery(pending.toString())), out);
                } catch (MigtraceException e) {
                    err.println("error: " + e.getMessage());
                    err.flush();
                }
                pending.setLength(0);
            }
            out.print(pending.length() == 0 ? "migtrace> " : "     ...> ");
            out.flush();
        }
        out.println();
        out.flush();
    }
}
