package org.migtrace.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.migtrace.cli.FormatMixin;
import org.migtrace.cli.HelpMixin;
import org.migtrace.cli.trace.TraceDirs;
import org.migtrace.uapi.MigtraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code migtrace demo [-o DIR]}: the three jobs end to end on two simulated migrations, in well
 * under two minutes ({@link Demo}). Exit 0 once everything ran: the divergences and the migration
 * that does not converge are what the demo is there to show, not findings about the user's input.
 */
@Command(
        name = "demo",
        header = "Record, replay and analyze two migrations: a first look.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  migtrace demo",
            "  migtrace demo -o /tmp/demo",
        },
        description = {
            "Record two simulated migrations (a GPU-like device that never converges, a NIC that does), replay "
                    + "the NIC's against the reference kernel model and against a bug variant (no-clear-report), "
                    + "analyze both side by side and write an HTML report; print a short summary and where "
                    + "everything is.",
            "Exit status 0 when the demo ran to the end.",
        })
public final class DemoCommand implements Callable<Integer> {

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "The directory to write into (must not exist, or be empty; default: a new "
                    + "migtrace-demo-* directory in the system's temporary directory).")
    Path output;

    @Mixin
    FormatMixin format;

    @Mixin
    HelpMixin help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws MigtraceException, IOException {
        Path dir = output;
        if (dir == null) {
            dir = Files.createTempDirectory("migtrace-demo-");
        } else {
            TraceDirs.requireFresh(dir);
            Files.createDirectories(dir);
        }
        if (format.text()) {
            new Demo(dir, spec.commandLine().getOut()).run();
            return 0;
        }
        Demo demo = new Demo(dir, new PrintWriter(Writer.nullWriter()));
        demo.run();
        format.print(demo.summary());
        return 0;
    }
}
