package org.migtrace.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options migtrace needs on the running JDK, for code that starts another JVM running it
 * (the notebooks' {@code migtrace} calls, the scale run's steps); {@code bin/lib/java.sh} says the
 * same for the launchers. {@code --add-opens=java.base/java.nio}: Arrow's memory access. On JDK 24
 * and later, {@code --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED}:
 * without them Arrow's {@code sun.misc.Unsafe} and DuckDB's native library print warnings on stderr
 * (JDK 17 does not know the first).
 *
 * <p>{@link #COLLECTOR}, the parallel collector, is what the launchers run with unless the user's
 * own options pick a collector: migtrace's work is throughput work (imports, replays, analyses of
 * millions of rows) over a small live set, where G1's write barriers and concurrent refinement
 * cost ~ 9 % of the replay's CPU and 5 % of the import's (docs/performance.md, "Collector").
 */
public final class JvmFlags {
    private JvmFlags() {
    }

    /** The collector the launchers choose when the user's options name none. */
    public static final String COLLECTOR = "-XX:+UseParallelGC";

    /** The options for a JVM of this JDK's version. */
    public static List<String> required() {
        List<String> flags = new ArrayList<>(List.of("--add-opens=java.base/java.nio=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 24) {
            flags.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"));
        }
        return List.copyOf(flags);
    }

    /** What {@code bin/migtrace} runs with when the user adds nothing: {@link #required()} and {@link #COLLECTOR}. */
    public static List<String> launcher() {
        List<String> flags = new ArrayList<>(required());
        flags.add(COLLECTOR);
        return List.copyOf(flags);
    }
}
