package org.migtrace.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every command of the {@code ```sh} blocks of the README, the getting-started page and the scenario
 * format page, run as a reader pasting them one after another into a shell at the repository root
 * would run them (one bash session per file, so {@code out=$(mktemp -d)} carries to the next
 * command), must end with the exit status the text gives it: {@code # exit N: why} next to it, 0
 * otherwise. So the examples cannot rot. Commands marked {@code # not run: why} are left out, and
 * listed.
 */
class DocCommandsTest {
    private static final String MARK = "@@@migtrace-example ";
    private static final Pattern RESULT = Pattern.compile("^" + MARK + "(\\d+) exit (\\d+)$", Pattern.MULTILINE);

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "docs/getting-started.md", "docs/scenarios.md"})
    void everyCommandEndsWithTheExitStatusTheTextGivesIt(String file) throws Exception {
        List<ShellExample> examples = ShellExample.in(file);
        assertThat(examples).as("commands in %s", file).isNotEmpty();
        StringBuilder script = new StringBuilder("set -o pipefail\n");
        List<ShellExample> run = new ArrayList<>();
        for (ShellExample e : examples) {
            if (e.notRun() != null) {
                System.err.println("not run: " + e + " (" + e.notRun() + ")");
                continue;
            }
            script.append("echo; echo '").append(MARK).append("start ").append(run.size()).append("'\n")
                    .append(e.command()).append('\n')
                    .append("echo \"").append(MARK).append(run.size()).append(" exit $?\"\n");
            run.add(e);
        }
        Repo.Run session = Repo.bash(script.toString(), tmp);

        Matcher m = RESULT.matcher(session.output());
        int[] exits = new int[run.size()];
        java.util.Arrays.fill(exits, -1);
        while (m.find()) {
            exits[Integer.parseInt(m.group(1))] = Integer.parseInt(m.group(2));
        }
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < run.size(); i++) {
            ShellExample e = run.get(i);
            if (exits[i] != e.exit()) {
                wrong.add(e + "\n  exit " + (exits[i] < 0 ? "(never ran)" : exits[i]) + ", the text says "
                        + e.exit() + "; it printed:\n" + outputOf(session.output(), i));
            }
        }
        assertThat(wrong).as("commands in %s whose exit status is not the one the text gives", file).isEmpty();
    }

    /** What command {@code i} of the session printed (bounded). */
    private static String outputOf(String output, int i) {
        int from = output.indexOf(MARK + "start " + i + "\n");
        int to = output.indexOf(MARK + i + " exit ");
        String text = from < 0 ? output : output.substring(from, to < from ? output.length() : to);
        return text.length() > 4000 ? text.substring(0, 4000) + "\n..." : text;
    }
}
