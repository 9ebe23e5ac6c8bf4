package org.migtrace.uapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.migtrace.uapi.MigState.ERROR;
import static org.migtrace.uapi.MigState.PRE_COPY;
import static org.migtrace.uapi.MigState.PRE_COPY_P2P;
import static org.migtrace.uapi.MigState.RESUMING;
import static org.migtrace.uapi.MigState.RUNNING;
import static org.migtrace.uapi.MigState.RUNNING_P2P;
import static org.migtrace.uapi.MigState.STOP;
import static org.migtrace.uapi.MigState.STOP_COPY;

import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The next-step function against an independent description: the arcs the kernel's comment above
 * {@code vfio_from_fsm_table} says a driver must implement for each feature combination, and the
 * multi-step paths it lists for a device with every optional feature.
 */
class V2FsmTest {

    static final int SC = MigrationFlag.STOP_COPY.bit();
    static final int P2P = MigrationFlag.P2P.bit();
    static final int PRE = MigrationFlag.PRE_COPY.bit();

    static Stream<Integer> combinations() {
        return Stream.of(SC, SC | P2P, SC | PRE, SC | P2P | PRE);
    }

    /** The driver arcs per the comment in vfio_main.c (written out here, not derived from the table). */
    static Set<List<MigState>> arcs(int flags) {
        Set<List<MigState>> a = new java.util.HashSet<>(List.of(
                List.of(RESUMING, STOP), List.of(STOP, RESUMING), List.of(STOP, STOP_COPY), List.of(STOP_COPY, STOP)));
        boolean p2p = (flags & P2P) != 0;
        boolean pre = (flags & PRE) != 0;
        if (p2p) {
            a.addAll(List.of(List.of(RUNNING, RUNNING_P2P), List.of(RUNNING_P2P, RUNNING),
                    List.of(RUNNING_P2P, STOP), List.of(STOP, RUNNING_P2P)));
        } else {
            a.addAll(List.of(List.of(RUNNING, STOP), List.of(STOP, RUNNING)));
        }
        if (pre && !p2p) {
            a.addAll(List.of(List.of(RUNNING, PRE_COPY), List.of(PRE_COPY, RUNNING), List.of(PRE_COPY, STOP_COPY)));
        }
        if (pre && p2p) {
            a.addAll(List.of(List.of(PRE_COPY, RUNNING), List.of(PRE_COPY, PRE_COPY_P2P), List.of(PRE_COPY_P2P, PRE_COPY),
                    List.of(PRE_COPY_P2P, RUNNING_P2P), List.of(PRE_COPY_P2P, STOP_COPY), List.of(RUNNING, PRE_COPY),
                    List.of(RUNNING_P2P, PRE_COPY_P2P)));
        }
        return a;
    }

    /**
     * Shortest hop count over driver arcs (-1: unreachable). A saving state is an interior hop only
     * while the walk is still inside the save session it started in (PRE_COPY>PRE_COPY_P2P>STOP_COPY);
     * a walk never opens a session only to pass through it.
     */
    static int shortest(MigState from, MigState to, Set<List<MigState>> arcs) {
        Map<MigState, Integer> dist = new EnumMap<>(MigState.class);
        ArrayDeque<MigState> q = new ArrayDeque<>();
        dist.put(from, 0);
        q.add(from);
        while (!q.isEmpty()) {
            MigState s = q.poll();
            if (s == to) {
                return dist.get(s);
            }
            if (s != from && s.isSaving() && !from.isSaving()) {
                continue;
            }
            for (List<MigState> arc : arcs) {
                if (arc.get(0) == s && !dist.containsKey(arc.get(1))) {
                    dist.put(arc.get(1), dist.get(s) + 1);
                    q.add(arc.get(1));
                }
            }
        }
        return -1;
    }

    @ParameterizedTest
    @MethodSource("combinations")
    void everyPairWalksShortestDriverArcsOrIsRefused(int flags) {
        Set<List<MigState>> arcs = arcs(flags);
        for (MigState from : MigState.values()) {
            for (MigState to : MigState.values()) {
                V2Fsm.Walk walk = V2Fsm.walk(from, to, flags, V2Fsm.Kernel.CURRENT);
                String pair = MigrationFlag.format(MigrationFlag.of(flags)) + " " + from + "->" + to;
                if (from == to) {
                    assertThat(walk.label()).as(pair).isEqualTo(from.name());
                    continue;
                }
                boolean blocked = from == STOP_COPY && (to == PRE_COPY || to == PRE_COPY_P2P);
                if (!from.supportedBy(flags) || !to.supportedBy(flags) || from == ERROR || to == ERROR || blocked) {
                    assertThat(walk.outcome()).as(pair).isEqualTo(V2Fsm.Outcome.EINVAL);
                    continue;
                }
                assertThat(walk.outcome()).as(pair).isEqualTo(V2Fsm.Outcome.NEXT);
                List<MigState> states = walk.states();
                for (int i = 0; i + 1 < states.size(); i++) {
                    assertThat(arcs).as(pair + " hop " + i).contains(List.of(states.get(i), states.get(i + 1)));
                    if (i > 0 && states.get(i).isSaving()) {
                        // only a session that is already open continues through a saving state
                        assertThat(states.subList(0, i)).as(pair + " interior " + states.get(i))
                                .allMatch(MigState::isSaving);
                    }
                }
                assertThat(walk.arcCount()).as(pair).isEqualTo(shortest(from, to, arcs));
            }
        }
    }

    @Test
    void multiStepPathsListedInTheKernelCommentForAllFeatures() {
        int all = SC | P2P | PRE;
        String[] listed = {
            "PRE_COPY>PRE_COPY_P2P>STOP_COPY",
            "PRE_COPY>RUNNING>RUNNING_P2P",
            "PRE_COPY>RUNNING>RUNNING_P2P>STOP",
            "PRE_COPY>RUNNING>RUNNING_P2P>STOP>RESUMING",
            "PRE_COPY_P2P>RUNNING_P2P>RUNNING",
            "PRE_COPY_P2P>RUNNING_P2P>STOP",
            "PRE_COPY_P2P>RUNNING_P2P>STOP>RESUMING",
            "RESUMING>STOP>RUNNING_P2P",
            "RESUMING>STOP>RUNNING_P2P>PRE_COPY_P2P",
            "RESUMING>STOP>RUNNING_P2P>RUNNING",
            "RESUMING>STOP>RUNNING_P2P>RUNNING>PRE_COPY",
            "RESUMING>STOP>STOP_COPY",
            "RUNNING>RUNNING_P2P>PRE_COPY_P2P",
            "RUNNING>RUNNING_P2P>STOP",
            "RUNNING>RUNNING_P2P>STOP>RESUMING",
            "RUNNING>RUNNING_P2P>STOP>STOP_COPY",
            "RUNNING_P2P>RUNNING>PRE_COPY",
            "RUNNING_P2P>STOP>RESUMING",
            "RUNNING_P2P>STOP>STOP_COPY",
            "STOP>RUNNING_P2P>PRE_COPY_P2P",
            "STOP>RUNNING_P2P>RUNNING",
            "STOP>RUNNING_P2P>RUNNING>PRE_COPY",
            "STOP_COPY>STOP>RESUMING",
            "STOP_COPY>STOP>RUNNING_P2P",
            "STOP_COPY>STOP>RUNNING_P2P>RUNNING",
        };
        for (String path : listed) {
            String[] s = path.split(">");
            MigState from = MigState.valueOf(s[0]);
            MigState to = MigState.valueOf(s[s.length - 1]);
            assertThat(V2Fsm.walk(from, to, all, V2Fsm.Kernel.CURRENT).label()).isEqualTo(path);
        }
    }

    @Test
    void stopCopyToPreCopyIsRefusedOnCurrentKernelsAndHangsOn6_2To7_1() {
        int all = SC | P2P | PRE;
        assertThat(V2Fsm.nextState(STOP_COPY, PRE_COPY, all).outcome()).isEqualTo(V2Fsm.Outcome.EINVAL);
        assertThat(V2Fsm.nextState(STOP_COPY, PRE_COPY_P2P, all).outcome()).isEqualTo(V2Fsm.Outcome.EINVAL);
        assertThat(V2Fsm.nextState(STOP_COPY, PRE_COPY, all, V2Fsm.Kernel.V6_2_TO_7_1).outcome())
                .isEqualTo(V2Fsm.Outcome.HANG);
        assertThat(V2Fsm.nextState(STOP_COPY, PRE_COPY, SC | PRE, V2Fsm.Kernel.V6_2_TO_7_1).outcome())
                .isEqualTo(V2Fsm.Outcome.HANG);
        // a device without PRE_COPY_P2P refuses the target before the loop: no hang even unfixed
        assertThat(V2Fsm.nextState(STOP_COPY, PRE_COPY_P2P, SC | PRE, V2Fsm.Kernel.V6_2_TO_7_1).outcome())
                .isEqualTo(V2Fsm.Outcome.EINVAL);
    }

    @Test
    void optionalStatesAreSkippedWhenUnsupported() {
        assertThat(V2Fsm.walk(RUNNING, STOP_COPY, SC, V2Fsm.Kernel.CURRENT).label()).isEqualTo("RUNNING>STOP>STOP_COPY");
        assertThat(V2Fsm.walk(PRE_COPY, STOP, SC | PRE, V2Fsm.Kernel.CURRENT).label()).isEqualTo("PRE_COPY>RUNNING>STOP");
        assertThat(V2Fsm.walk(PRE_COPY, STOP_COPY, SC | PRE, V2Fsm.Kernel.CURRENT).label()).isEqualTo("PRE_COPY>STOP_COPY");
    }

    @Test
    void settingTheCurrentStateWalksNothingEvenInError() {
        assertThat(V2Fsm.walk(ERROR, ERROR, SC, V2Fsm.Kernel.CURRENT).label()).isEqualTo("ERROR");
        assertThat(V2Fsm.nextState(ERROR, ERROR, SC).outcome()).isEqualTo(V2Fsm.Outcome.EINVAL);
        assertThat(V2Fsm.walk(ERROR, RUNNING, SC | P2P | PRE, V2Fsm.Kernel.CURRENT).outcome()).isEqualTo(V2Fsm.Outcome.EINVAL);
    }

    @Test
    void driverArcsAreExactlyTheCommentsListForEachCombination() {
        combinations().forEach(flags -> {
            Set<List<MigState>> expected = arcs(flags);
            Set<List<MigState>> actual = new java.util.HashSet<>();
            for (MigState a : MigState.values()) {
                for (MigState b : MigState.values()) {
                    if (V2Fsm.isDriverArc(a, b, flags)) {
                        actual.add(List.of(a, b));
                    }
                }
            }
            assertThat(actual).as(MigrationFlag.format(MigrationFlag.of(flags))).isEqualTo(expected);
        });
        assertThat(EnumSet.allOf(MigState.class)).hasSize(MigState.NR);
    }
}
