package org.migtrace.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.migtrace.cli.CliRun;

/**
 * docs/bad-input.md shows what a user sees for each kind of bad input: every {@code console} block
 * there is a command ({@code $ migtrace ...}), its output (standard output, then standard error)
 * and its exit status ({@code $ echo $?}). Each is run here on the inputs in
 * {@code src/test/resources/bad-input/}, in a copy of that directory, and must print exactly that.
 */
class BadInputDocTest {

    static final Path DOC = Path.of("..", "docs", "bad-input.md");

    /** One block: the command's arguments, the lines it prints, its exit status. */
    record Example(List<String> args, List<String> output, int exit) {
        @Override
        public String toString() {
            return String.join(" ", args);
        }
    }

    @TempDir
    static Path inputs;

    static Stream<Example> examples() throws IOException {
        List<Example> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(DOC);
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).equals("```console")) {
                continue;
            }
            List<String> args = Arrays.asList(lines.get(++i).substring("$ migtrace ".length()).split(" "));
            List<String> output = new ArrayList<>();
            while (!lines.get(++i).equals("$ echo $?")) {
                output.add(lines.get(i));
            }
            out.add(new Example(args, output, Integer.parseInt(lines.get(++i))));
        }
        assertThat(out).as("console blocks in " + DOC).isNotEmpty();
        return out.stream();
    }

    /**
     * The commands run in order, in one copy of the inputs (a later one may read what an earlier one
     * wrote); an argument naming a file there, or following {@code -o}, becomes its path in the copy.
     */
    @ParameterizedTest(name = "migtrace {0}")
    @MethodSource("examples")
    void theDocumentShowsWhatTheCommandPrintsAndReturns(Example example) throws Exception {
        copyInputsOnce();
        List<String> given = example.args();
        String[] args = new String[given.size()];
        for (int i = 0; i < args.length; i++) {
            String a = given.get(i);
            boolean named = i > 0 && given.get(i - 1).equals("-o") || Files.exists(inputs.resolve(a));
            args[i] = named ? inputs.resolve(a).toString() : a;
        }

        CliRun run = CliRun.of(args);

        String prefix = inputs + "/";
        List<String> printed = Stream.concat(run.out().lines(), run.err().lines()).map(l -> l.replace(prefix, "")).toList();
        assertThat(printed).as("output of migtrace %s", example).containsExactlyElementsOf(example.output());
        assertThat(run.exit()).as("exit status of migtrace %s", example).isEqualTo(example.exit());
    }

    private static void copyInputsOnce() throws IOException, URISyntaxException {
        if (Files.exists(inputs.resolve("cut-trace"))) {
            return;
        }
        Path from = Path.of(BadInputDocTest.class.getResource("/bad-input").toURI());
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path to = inputs.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
    }
}
