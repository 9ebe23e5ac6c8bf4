package org.migtrace.cli.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.migtrace.cli.CliRun;

/**
 * {@code migtrace sim fsm}: rows checked against paths read off the kernel's
 * {@code vfio_from_fsm_table} by hand (drivers/vfio/vfio_main.c), not recomputed from V2Fsm.
 */
class SimFsmCommandTest {

    private static final List<String> STATES = List.of(
            "ERROR", "STOP", "RUNNING", "STOP_COPY", "RESUMING", "RUNNING_P2P", "PRE_COPY", "PRE_COPY_P2P");

    private static List<String> csv(String... options) {
        List<String> args = new ArrayList<>(List.of("sim", "fsm", "--format", "csv"));
        args.addAll(List.of(options));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        return run.outLines();
    }

    @Test
    void csvHasAHeaderAndOneRowPerPairInUapiOrder() {
        List<String> lines = csv();
        assertThat(lines).hasSize(65);
        assertThat(lines.get(0)).isEqualTo("from,to,next,path");
        List<String> pairs = new ArrayList<>();
        for (String from : STATES) {
            for (String to : STATES) {
                pairs.add(from + "," + to);
            }
        }
        assertThat(lines.subList(1, 65)).extracting(l -> l.substring(0, l.indexOf(',', l.indexOf(',') + 1)))
                .containsExactlyElementsOf(pairs);
    }

    @Test
    void allFeaturesRowsMatchTheKernel() {
        assertThat(csv()).contains(
                "RUNNING,STOP_COPY,RUNNING_P2P,RUNNING>RUNNING_P2P>STOP>STOP_COPY",
                "STOP_COPY,PRE_COPY,EINVAL,EINVAL",
                "STOP_COPY,PRE_COPY_P2P,EINVAL,EINVAL",
                "ERROR,ERROR,EINVAL,ERROR",
                "ERROR,RUNNING,EINVAL,EINVAL",
                "RUNNING,ERROR,EINVAL,EINVAL",
                "STOP,STOP,STOP,STOP",
                "PRE_COPY,STOP_COPY,PRE_COPY_P2P,PRE_COPY>PRE_COPY_P2P>STOP_COPY",
                "RESUMING,RUNNING,STOP,RESUMING>STOP>RUNNING_P2P>RUNNING",
                "STOP_COPY,RUNNING,STOP,STOP_COPY>STOP>RUNNING_P2P>RUNNING",
                "RUNNING,PRE_COPY_P2P,RUNNING_P2P,RUNNING>RUNNING_P2P>PRE_COPY_P2P");
    }

    @Test
    void defaultFeaturesAreAllThree() {
        assertThat(csv()).isEqualTo(csv("--features", "stop_copy,p2p,pre_copy"));
    }

    @Test
    void stopCopyOnlySkipsTheOptionalStates() {
        assertThat(csv("--features", "stop_copy")).contains(
                "RUNNING,STOP_COPY,STOP,RUNNING>STOP>STOP_COPY",
                "STOP,RUNNING,RUNNING,STOP>RUNNING",
                "RESUMING,RUNNING,STOP,RESUMING>STOP>RUNNING",
                "RUNNING,PRE_COPY,EINVAL,EINVAL",
                "RUNNING,RUNNING_P2P,EINVAL,EINVAL",
                "RUNNING_P2P,RUNNING,EINVAL,EINVAL",
                "RUNNING_P2P,RUNNING_P2P,EINVAL,RUNNING_P2P");
    }

    @Test
    void preCopyWithoutP2pGoesThroughStopCopyDirectly() {
        assertThat(csv("--features", "stop_copy,pre_copy")).contains(
                "PRE_COPY,STOP_COPY,STOP_COPY,PRE_COPY>STOP_COPY",
                "RUNNING,STOP_COPY,STOP,RUNNING>STOP>STOP_COPY",
                "PRE_COPY,STOP,RUNNING,PRE_COPY>RUNNING>STOP");
    }

    @Test
    void featureWordsMayComeInAnyOrderAndCase() {
        assertThat(csv("--features", "PRE_COPY,p2p,Stop_Copy")).isEqualTo(csv());
    }

    @Test
    void oldKernelsHangOnTheBlockedArcsOnly() {
        List<String> current = csv();
        List<String> old = csv("--kernel", "6.2-7.1");
        assertThat(old).contains("STOP_COPY,PRE_COPY,HANG,HANG", "STOP_COPY,PRE_COPY_P2P,HANG,HANG");
        List<String> changed = new ArrayList<>(old);
        changed.removeAll(current);
        assertThat(changed).containsExactly("STOP_COPY,PRE_COPY,HANG,HANG", "STOP_COPY,PRE_COPY_P2P,HANG,HANG");
    }

    @Test
    void oldKernelsHangOnlyWhenTheDeviceHasTheTargetState() {
        assertThat(csv("--features", "stop_copy,pre_copy", "--kernel", "6.2-7.1"))
                .contains("STOP_COPY,PRE_COPY,HANG,HANG", "STOP_COPY,PRE_COPY_P2P,EINVAL,EINVAL");
        assertThat(csv("--features", "stop_copy,p2p", "--kernel", "6.2-7.1")).noneMatch(l -> l.contains("HANG"));
    }

    @Test
    void unknownFeatureIsAUsageErrorNamingTheWord() {
        CliRun run = CliRun.of("sim", "fsm", "--features", "stop_copy,dirty_log");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("'dirty_log'").contains("--features");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void featuresWithoutStopCopyAreAUsageError() {
        CliRun run = CliRun.of("sim", "fsm", "--features", "p2p,pre_copy");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("'p2p,pre_copy' lacks stop_copy");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void unknownKernelIsAUsageErrorNamingIt() {
        CliRun run = CliRun.of("sim", "fsm", "--kernel", "5.18");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("'5.18'").contains("current").contains("6.2-7.1");
    }

    @Test
    void jsonHasOneObjectPerPair() throws Exception {
        CliRun run = CliRun.of("sim", "fsm", "--format", "json", "--kernel", "6.2-7.1");
        assertThat(run.exit()).isZero();
        JsonNode rows = new ObjectMapper().readTree(run.out());
        assertThat(rows.isArray()).isTrue();
        assertThat(rows.size()).isEqualTo(64);
        JsonNode scToPc = rows.get(3 * 8 + 6);
        assertThat(scToPc.get("from").asText()).isEqualTo("STOP_COPY");
        assertThat(scToPc.get("to").asText()).isEqualTo("PRE_COPY");
        assertThat(scToPc.get("next").asText()).isEqualTo("HANG");
        assertThat(scToPc.get("path").asText()).isEqualTo("HANG");
    }

    @Test
    void tableIsTheDefaultFormatWithAlignedColumns() {
        CliRun run = CliRun.of("sim", "fsm");
        assertThat(run.exit()).isZero();
        List<String> lines = run.outLines();
        assertThat(lines).hasSize(66);
        assertThat(lines.get(0)).startsWith("from").contains("to").contains("next").endsWith("path");
        assertThat(lines.get(1)).matches("[- ]+");
        int toColumn = lines.get(0).indexOf("to ");
        assertThat(lines.subList(2, 66)).allSatisfy(l -> assertThat(l.charAt(toColumn - 1)).isEqualTo(' '));
        assertThat(lines).contains("RUNNING       STOP_COPY     RUNNING_P2P   RUNNING>RUNNING_P2P>STOP>STOP_COPY");
    }
}
