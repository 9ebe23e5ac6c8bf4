package org.migtrace.cli.notebooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Executes a notebook with Debian's Jupyter ({@code /usr/bin/jupyter nbconvert --execute}): the
 * {@code jupyter} on {@code PATH} may belong to another Python, without the packages the notebooks
 * import. The notebooks run {@code migtrace} through the environment variable {@code MIGTRACE}, set
 * here to this build's classes: {@code bin/migtrace} would start a Maven build of its own.
 */
final class Jupyter {

    static final Path JUPYTER = Path.of("/usr/bin/jupyter");
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    /** What the notebooks import, by Debian package. */
    private static final Map<String, String> MODULES = Map.of(
            "nbconvert", "jupyter-nbconvert", "nbclient", "python3-nbclient", "ipykernel", "python3-ipykernel",
            "pandas", "python3-pandas", "matplotlib", "python3-matplotlib");
    /** A cell that runs this long is stuck; the notebooks' slowest cell takes well under a minute. */
    private static final int CELL_TIMEOUT_S = 600;
    private static final long RUN_TIMEOUT_MIN = 20;

    /** Exit status and combined output of one {@code nbconvert --execute}. */
    record Run(int exit, String output) {
    }

    private Jupyter() {
    }

    /** Why notebooks cannot run here (and which packages to install), or empty when they can. */
    static Optional<String> unavailable() throws IOException, InterruptedException {
        if (!Files.isExecutable(JUPYTER)) {
            return Optional.of(JUPYTER + " not found (apt-get install " + String.join(" ", MODULES.values()) + ")");
        }
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> m : MODULES.entrySet()) {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import " + m.getKey())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) {
                missing.add(m.getValue());
            }
        }
        return missing.isEmpty()
                ? Optional.empty()
                : Optional.of(PYTHON + " lacks modules (apt-get install " + String.join(" ", missing.stream().sorted().toList()) + ")");
    }

    /** Executes {@code notebook}, writing the executed copy into {@code outputDir}. */
    static Run execute(Path notebook, Path outputDir) throws IOException, InterruptedException {
        Files.createDirectories(outputDir);
        ProcessBuilder pb = new ProcessBuilder(JUPYTER.toString(), "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=" + CELL_TIMEOUT_S, "--output-dir", outputDir.toString(),
                notebook.toString());
        pb.environment().put("MIGTRACE", migtraceCommand());
        // ipykernel's debugger warns on every start that Python's modules are frozen
        pb.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
        pb.environment().put("MPLCONFIGDIR", outputDir.resolve("matplotlib").toString());
        Path log = outputDir.resolve(notebook.getFileName() + ".log");
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(RUN_TIMEOUT_MIN, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            return new Run(-1, "timed out after " + RUN_TIMEOUT_MIN + " minutes; " + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** {@code java ... org.migtrace.cli.Main} on the test's class path, quoted for Python's shlex. */
    static String migtraceCommand() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // Each call is a short JVM: C1 alone and the serial collector cut its CPU time by a third,
        // which matters on CI's two cores.
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(org.migtrace.cli.JvmFlags.required());
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classPath, "org.migtrace.cli.Main"));
        return String.join(" ", cmd.stream().map(Jupyter::quote).toList());
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\"'\"'") + "'";
    }
}
