package org.migtrace.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The repository this module sits in, and {@code bin/migtrace} run from its root as a user runs it:
 * through bash, on the distribution the cli module has just built ({@code MIGTRACE_NO_BUILD=1}: a
 * launcher that decided to rebuild would run Maven inside Maven).
 */
final class Repo {
    /** Surefire runs in the module's directory; the repository root is its parent. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** Generous: a command here takes seconds; the demo, on a loaded 2-core machine, under a minute. */
    private static final long TIMEOUT_S = 300;

    private Repo() {
    }

    /** What a script printed (stdout and stderr together, in order) and its exit status. */
    record Run(int exit, String output) {
    }

    /** Runs {@code script} with {@code bash -c} from the repository root; temporary files go to {@code tmp}. */
    static Run bash(String script, Path tmp) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().put("MIGTRACE_NO_BUILD", "1");
        pb.environment().put("TMPDIR", tmp.toString());
        // Every command here runs for seconds: C1 only and the serial collector start faster and spend
        // about a third less CPU (measured on record, analyze and demo); no output depends on them.
        pb.environment().put("MIGTRACE_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("still running after " + TIMEOUT_S + " s: " + script);
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** The lines of a file of the repository, by its path from the root. */
    static List<String> lines(String file) throws IOException {
        return new ArrayList<>(Files.readAllLines(ROOT.resolve(file), StandardCharsets.UTF_8));
    }
}
