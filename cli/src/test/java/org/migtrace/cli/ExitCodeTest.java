package org.migtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.migtrace.uapi.MigtraceException;
import org.migtrace.uapi.MigtraceException.ErrorCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The exit statuses and error messages a script or a person sees, mapped in one place. */
class ExitCodeTest {

    /** A command standing in for a module that fails in each of the ways a module can. */
    @Command(name = "fail")
    static final class FailCommand implements Callable<Integer> {
        @Parameters(index = "0")
        String how;

        @Override
        public Integer call() throws Exception {
            switch (how) {
                case "usage":
                    throw new MigtraceException(ErrorCode.USAGE, "--from and --to disagree");
                case "input":
                    throw MigtraceException.badInput("trace/manifest.json", 12, "unknown format 'x'");
                case "internal":
                    throw new MigtraceException(ErrorCode.INTERNAL, "disk full writing out.arrow");
                case "bug":
                    throw new IllegalStateException("broken invariant");
                case "findings":
                    return ExitCode.FINDINGS.status();
                default:
                    return ExitCode.OK.status();
            }
        }
    }

    private static CliRun runFail(String... args) {
        return CliRun.of(cmd -> cmd.addSubcommand(new CommandLine(new FailCommand())), args);
    }

    @Test
    void statusesAreTheDocumentedNumbers() {
        assertThat(ExitCode.values()).extracting(ExitCode::status).containsExactly(0, 1, 2, 3, 4);
        assertThat(ExitCode.of(ErrorCode.USAGE)).isEqualTo(ExitCode.USAGE);
        assertThat(ExitCode.of(ErrorCode.BAD_INPUT)).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(ExitCode.of(ErrorCode.INTERNAL)).isEqualTo(ExitCode.INTERNAL);
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun run = CliRun.of();
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required subcommand").contains("Usage: migtrace");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void unknownOptionIsOneLineNamingItAndTheCommandsHelp() {
        CliRun run = CliRun.of("sim", "fsm", "--colour");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("migtrace sim fsm: Unknown option: '--colour' (see 'migtrace sim fsm --help')"
                + System.lineSeparator());
    }

    @Test
    void aMistypedOptionGetsASuggestion() {
        CliRun run = CliRun.of("sim", "fsm", "--formt", "csv");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("'--formt'").contains("did you mean --format?");
    }

    @Test
    void unknownCommandIsAUsageError() {
        CliRun run = CliRun.of("replay");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("replay");
    }

    @Test
    void badFormatIsAUsageError() {
        CliRun run = CliRun.of("sim", "v1-states", "--format", "xml");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().startsWith("migtrace sim v1-states: ")
                .contains("xml").containsIgnoringCase("table, csv, json");
    }

    @Test
    void usageErrorFromAModuleIsOneLineNamingTheCommand() {
        CliRun run = runFail("fail", "usage");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("migtrace fail: --from and --to disagree (see 'migtrace fail --help')"
                + System.lineSeparator());
    }

    @Test
    void badInputPrintsOneLineNamingFileAndLine() {
        CliRun run = runFail("fail", "input");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).isEqualTo("migtrace: trace/manifest.json:12: unknown format 'x'" + System.lineSeparator());
    }

    @Test
    void internalErrorIsOneLineWithTheStacktraceHint() {
        CliRun run = runFail("fail", "internal");
        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.err()).isEqualTo(
                "migtrace: disk full writing out.arrow (rerun with --stacktrace for the stack trace)" + System.lineSeparator());
    }

    @Test
    void unexpectedExceptionIsOneLineSayingWhatAndWhere() {
        CliRun run = runFail("fail", "bug");
        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith("migtrace: internal error: java.lang.IllegalStateException: broken invariant at ")
                .contains("ExitCodeTest$FailCommand.call(ExitCodeTest.java:")
                .endsWith("(rerun with --stacktrace for the stack trace)");
    }

    @Test
    void stacktracePrintsTheStackTraceInsteadOfTheHint() {
        CliRun run = runFail("--stacktrace", "fail", "bug");
        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.err()).contains("java.lang.IllegalStateException: broken invariant")
                .contains("\tat org.migtrace.cli.ExitCodeTest$FailCommand.call")
                .doesNotContain("rerun with");
    }

    @Test
    void stacktraceIsAcceptedAfterTheSubcommandToo() {
        CliRun run = runFail("fail", "--stacktrace", "internal");
        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.err()).contains("\tat ");
    }

    @Test
    void debugStillWorksAsTheOlderNameOfStacktrace() {
        CliRun run = runFail("--debug", "fail", "input");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).startsWith("migtrace: trace/manifest.json:12: unknown format 'x'").contains("\tat ");
    }

    @Test
    void commandsReturnTheirOwnStatus() {
        assertThat(runFail("fail", "findings").exit()).isEqualTo(1);
        assertThat(runFail("fail", "ok").exit()).isZero();
    }

    @Test
    void versionNamesTheBuildAndExitsZero() {
        CliRun run = CliRun.of("--version");
        assertThat(run.exit()).isZero();
        assertThat(run.outLines().get(0)).matches("migtrace \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(run.out()).contains("Java " + System.getProperty("java.version"));
    }

    @Test
    void helpListsCommandsAndExitStatuses() {
        CliRun run = CliRun.of("help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("sim").contains("3  bad input");
    }

    @Test
    void helpOnASubcommandShowsItsOptions() {
        CliRun run = CliRun.of("help", "sim", "fsm");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("--features").contains("--kernel").contains("--format");
        assertThat(CliRun.of("sim", "fsm", "--help").out()).isEqualTo(run.out());
    }

    @Test
    void helpOnAnUnknownCommandIsAUsageError() {
        CliRun run = CliRun.of("help", "sim", "nope");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("migtrace help: Unknown command 'sim nope' (see 'migtrace help --help')"
                + System.lineSeparator());
    }
}
