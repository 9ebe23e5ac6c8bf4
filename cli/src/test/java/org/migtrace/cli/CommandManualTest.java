package org.migtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The manners every command shares, checked over the whole command tree so a new command cannot
 * forget them: an example in its help that parses, the same {@code --format}, and completion.
 */
class CommandManualTest {

    /** Every command of the tree, depth first, {@code migtrace} itself included. */
    private static List<CommandLine> everyCommand() {
        List<CommandLine> all = new ArrayList<>();
        collect(Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), all);
        return all;
    }

    private static void collect(CommandLine cmd, List<CommandLine> all) {
        all.add(cmd);
        cmd.getSubcommands().values().forEach(sub -> collect(sub, all));
    }

    /** The {@code migtrace ...} command lines in a help text's Example(s) section. */
    static List<String> examples(String usage) {
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String line : usage.lines().toList()) {
            if (line.matches("Examples?:")) {
                in = true;
            } else if (in && line.isBlank()) {
                in = false;
            } else if (in && line.contains("migtrace ")) {
                // the migtrace part of a shell line: up to a pipe, redirection or closing parenthesis
                lines.add(line.substring(line.indexOf("migtrace ")).split("[|>)]")[0].strip());
            }
        }
        return lines;
    }

    /** Splits a command line on blanks, keeping "double-quoted words" whole. */
    static String[] words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                if (word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString());
        }
        return words.toArray(String[]::new);
    }

    @Test
    void everyCommandsHelpShowsAnExampleOfItselfThatParses() {
        List<CommandLine> commands = everyCommand();
        assertThat(commands).hasSizeGreaterThan(15);
        for (CommandLine cmd : commands) {
            String name = cmd.getCommandSpec().qualifiedName();
            List<String> examples = examples(cmd.getUsageMessage(CommandLine.Help.Ansi.OFF));
            assertThat(examples).as("examples in '%s --help'", name).isNotEmpty();
            for (String example : examples) {
                String[] args = words(example.substring("migtrace ".length()));
                CommandLine fresh = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
                assertThatCode(() -> fresh.parseArgs(args)).as("'%s' in the help of %s", example, name).doesNotThrowAnyException();
                assertThat(example + " ").as("an example of %s", name).startsWith(name + " ");
            }
        }
    }

    @Test
    void everyCommandHasAOneLineSummaryForTheCommandList() {
        for (CommandLine cmd : everyCommand().subList(1, everyCommand().size())) { // migtrace itself is in no list
            String[] header = cmd.getCommandSpec().usageMessage().header();
            assertThat(header).as("header of %s", cmd.getCommandSpec().qualifiedName()).hasSize(1);
            // the command list indents summaries by 14 columns of 80: a longer one wraps
            assertThat(header[0]).as("header of %s", cmd.getCommandSpec().qualifiedName()).hasSizeLessThanOrEqualTo(64);
        }
    }

    @Test
    void theExampleReaderFindsOnlyTheExamples() {
        String usage = "Usage: migtrace x%n%nExamples:%n  migtrace x \"a b\" | wc -l%n  source <(migtrace y)%n%nExit status:%n  0  migtrace ok%n"
                .formatted();
        assertThat(examples(usage)).containsExactly("migtrace x \"a b\"", "migtrace y");
        assertThat(words("migtrace x \"a b\" c")).containsExactly("migtrace", "x", "a b", "c");
    }

    @Test
    void everyCommandThatPrintsAResultHasTheSameFormatOption() {
        List<String> seen = new ArrayList<>();
        List<String> without = new ArrayList<>();
        for (CommandLine cmd : everyCommand()) {
            String name = cmd.getCommandSpec().qualifiedName();
            OptionSpec format = cmd.getCommandSpec().findOption("--format");
            if (format == null) {
                if (cmd.getSubcommands().isEmpty()) {
                    without.add(name);
                }
                continue;
            }
            seen.add(name);
            assertThat(format.names()).as(name).containsExactly("-f", "--format");
            assertThat(format.paramLabel()).as(name).isEqualTo("FORMAT");
            assertThat(format.defaultValue()).as(name).isEqualTo("table");
            assertThat(format.completionCandidates()).as(name).containsExactly("table", "csv", "json", "markdown");
            assertThat(format.description()).as(name)
                    .containsExactly("Output format: table, csv, json, markdown (default: table).");
        }
        // help and completion print text that is not a result: usage, a shell script
        assertThat(without).containsExactlyInAnyOrder("migtrace help", "migtrace completion");
        assertThat(seen).contains("migtrace info", "migtrace replay", "migtrace analyze", "migtrace sql", "migtrace sim run",
                "migtrace import qemu-log", "migtrace record", "migtrace verify", "migtrace demo");
    }

    @Test
    void completionPrintsABashScriptThatCompletesCommandsAndFormats(@TempDir Path dir) throws Exception {
        CliRun run = CliRun.of("completion");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("complete -F _complete_migtrace");
        Path script = dir.resolve("migtrace-completion.bash");
        Files.writeString(script, run.out(), StandardCharsets.UTF_8);

        assertThat(complete(script, "migtrace", "sim", "f")).containsExactly("fsm");
        assertThat(complete(script, "migtrace", "info", "t", "--format", "")).contains("table", "csv", "json");
        assertThat(complete(script, "migtrace", "repl")).containsExactly("replay");
    }

    /** What bash offers for the last word, by the script's own completion function. */
    private static List<String> complete(Path script, String... words) throws Exception {
        StringBuilder array = new StringBuilder();
        for (String w : words) {
            array.append(" '").append(w).append('\'');
        }
        String shell = "source '" + script + "'; COMP_WORDS=(" + array + " ); COMP_CWORD=" + (words.length - 1)
                + "; COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}; _complete_migtrace; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process p = new ProcessBuilder("bash", "-c", shell).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void helpAndCompletionGetNoProgressLine() {
        CommandLine cmd = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertThat(Progress.wanted(cmd.parseArgs("completion"))).isFalse();
        cmd = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertThat(Progress.wanted(cmd.parseArgs("record", "--help"))).isFalse();
    }

    @Test
    void longWorkGetsAProgressLineButALiveCaptureKeepsItsOwn() {
        assertThat(Progress.wanted(parse("record", "--scenario", "nic-converges", "-o", "t"))).isTrue();
        assertThat(Progress.wanted(parse("analyze", "a", "b"))).isTrue();
        assertThat(Progress.wanted(parse("import", "qemu-log", "g.log", "-o", "t"))).isTrue();
        assertThat(Progress.wanted(parse("record", "--bpftrace", "--pid", "1", "-o", "t"))).isFalse();
        assertThat(Progress.wanted(parse("replay", "--list-targets"))).isFalse();
    }

    @Test
    void theProgressLineCountsWhatTheOutputOptionNames(@TempDir Path dir) throws Exception {
        ParseResult parsed = parse("record", "--scenario", "nic-converges", "-o", dir.toString());
        ParseResult leaf = parsed.subcommand();
        Files.write(dir.resolve("events.arrow"), new byte[3000]);
        Files.createDirectories(dir.resolve("sub"));
        Files.write(dir.resolve("sub/x"), new byte[96]);
        assertThat(Progress.written(leaf).getAsLong()).isEqualTo(3096);
        assertThat(Progress.written(parse("analyze", "a").subcommand())).isNull();
    }

    @Test
    void offATerminalNothingButTheCommandsOwnOutputReachesStderr() {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        int exit = Main.commandLine(new PrintWriter(out), new PrintWriter(err), false).execute("sim", "v1-states");
        assertThat(exit).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).doesNotContain("\r");
    }

    private static ParseResult parse(String... args) {
        return Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())).parseArgs(args);
    }
}
