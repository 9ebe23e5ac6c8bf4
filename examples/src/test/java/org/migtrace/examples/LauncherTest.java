package org.migtrace.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/migtrace}'s JVM: the parallel collector by default, a collector the user names in
 * {@code MIGTRACE_JAVA_OPTS} instead of it (a JVM told two collectors does not start), and the
 * user's heap limit. {@code --version} names the heap limit and the collectors of the JVM it runs in.
 */
class LauncherTest {
    @TempDir
    Path tmp;

    @Test
    void runsTheParallelCollectorWhenTheUserNamesNone() throws Exception {
        Repo.Run run = Repo.bash("MIGTRACE_JAVA_OPTS='-Xmx200m' bin/migtrace --version", tmp);
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("heap up to 200 MiB").contains("PS Scavenge").contains("PS MarkSweep");
    }

    @Test
    void aCollectorTheUserNamesReplacesTheDefault() throws Exception {
        Repo.Run serial = Repo.bash("MIGTRACE_JAVA_OPTS='-XX:+UseSerialGC' bin/migtrace --version", tmp);
        assertThat(serial.exit()).as(serial.output()).isZero();
        assertThat(serial.output()).contains("MarkSweepCompact").doesNotContain("PS Scavenge");

        Repo.Run g1 = Repo.bash("MIGTRACE_JAVA_OPTS='-Xmx300m -XX:+UseG1GC' bin/migtrace --version", tmp);
        assertThat(g1.exit()).as(g1.output()).isZero();
        assertThat(g1.output()).contains("heap up to 300 MiB").contains("G1 Young Generation").doesNotContain("PS Scavenge");
    }
}
