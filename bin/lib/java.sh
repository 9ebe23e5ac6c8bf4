# Sourced by bin/migtrace and bin/migtrace-bench: the java to run and the JVM options migtrace needs
# on it (org.migtrace.cli.JvmFlags says the same for JVMs started from Java). Sets `java`
# (JAVA_HOME's, else the one on PATH) and the array `jvm_opts`:
#   --add-opens=java.base/java.nio  Arrow's memory access (the jars' manifests say it too);
#   on JDK 24 and later, --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED,
#   without which Arrow's sun.misc.Unsafe and DuckDB's native library print warnings on stderr
#   (JDK 17 does not know the first). The JDK's release file says its version without starting a JVM.
# choose_collector sets the array `gc_opts`: the parallel collector (JvmFlags.COLLECTOR), or nothing
# when the options it is given (the user's) pick a collector themselves.
if [[ -n ${JAVA_HOME:-} ]]; then
    java="$JAVA_HOME/bin/java"
else
    java=java
fi
jvm_opts=(--add-opens=java.base/java.nio=ALL-UNNAMED)
java_bin=$(readlink -f -- "$(command -v -- "$java" || echo "$java")")
java_major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "${java_bin%/bin/java}/release" 2>/dev/null || true)
if [[ ${java_major:-0} -ge 24 ]]; then
    jvm_opts+=(--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED)
fi

# The parallel collector suits migtrace's throughput work (docs/performance.md, "Collector"); a
# collector the user names in "$@" wins, since a JVM told two collectors refuses to start.
choose_collector() {
    gc_opts=(-XX:+UseParallelGC)
    local o
    for o in "$@"; do
        if [[ $o == -XX:+Use*GC ]]; then
            gc_opts=()
        fi
    done
}
