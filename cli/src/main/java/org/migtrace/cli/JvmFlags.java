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
 */
public final class JvmFlags {
    private JvmFlags() {
    }

    /** The options for a JVM of this JDK's version. */
    public static List<String> required() {
        List<String> flags = new ArrayList<>(List.of("--add-opens=java.base/java.nio=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 24) {
            flags.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"));
        }
        return List.copyOf(flags);
    }
}
