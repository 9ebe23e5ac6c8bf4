package org.migtrace.robustness;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A JVM started from a test with the test's class path and module flags: a process a test can kill. */
final class ChildJvm {

    private ChildJvm() {
    }

    /** Starts {@code mainClass args...}; its output is discarded. */
    static Process start(Class<?> mainClass, List<String> jvmOptions, String... args) throws Exception {
        List<String> cmd = command(mainClass, jvmOptions);
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** {@code java [module flags] jvmOptions -cp CLASSPATH mainClass}, to which arguments may be added. */
    static List<String> command(Class<?> mainClass, List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--sun-misc") || arg.startsWith("--enable-native")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        // surefire starts tests through a manifest-only jar: the real class path is in this property
        cmd.add(System.getProperty("java.class.path") + File.pathSeparator
                + System.getProperty("surefire.test.class.path", ""));
        cmd.add(mainClass.getName());
        return cmd;
    }

    /** SIGKILL ({@code destroyForcibly} on Unix): the process gets no chance to close anything. */
    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + p.pid() + " survived SIGKILL for 60 s");
        }
    }
}
