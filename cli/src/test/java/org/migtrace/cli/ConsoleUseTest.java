package org.migtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule that only {@link Main} touches the console and the exit status: commands write to their
 * command line's writers (so tests capture them), and library code prints nothing. Checked over the
 * main sources of every module (the test runs in {@code cli/}, its siblings are one level up), except
 * the measuring programs of {@code benchmarks/} (JMH, the bench runner) and {@code robustness/} (the
 * live-capture load harness): they report what they measured on standard output and say by their
 * exit status whether it held.
 */
class ConsoleUseTest {

    private static final Pattern CONSOLE = Pattern.compile("\\bSystem\\s*\\.\\s*(out|err|exit)\\b");
    private static final java.util.Set<String> MEASURING = java.util.Set.of("benchmarks", "robustness");

    @Test
    void onlyMainUsesSystemOutErrOrExit() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path src : modules.filter(m -> !MEASURING.contains(m.getFileName().toString()))
                    .map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(src)) {
                    files.filter(f -> f.toString().endsWith(".java"))
                            .filter(f -> !f.endsWith(Path.of("org/migtrace/cli/Main.java")))
                            .forEach(f -> offenders.addAll(consoleLines(root, f)));
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void theCheckSeesTheModules() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("uapi/src/main/java")).isDirectory();
        assertThat(consoleLines(root, root.resolve("cli/src/main/java/org/migtrace/cli/Main.java"))).isNotEmpty();
    }

    private static List<String> consoleLines(Path root, Path file) {
        List<String> hits = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String code = lines.get(i).strip();
                boolean comment = code.startsWith("*") || code.startsWith("//") || code.startsWith("/*");
                if (!comment && CONSOLE.matcher(code).find()) {
                    hits.add(root.relativize(file) + ":" + (i + 1) + ": " + code);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hits;
    }
}
