package org.migtrace.uapi;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's v2 migration next-step function ({@code drivers/vfio/vfio_main.c:
 * vfio_mig_get_next_state}) and the walk a {@code MIG_DEVICE_STATE} SET takes with it.
 *
 * <p>The function maps (current, target, device flags) to the single arc a driver is asked to
 * perform next. Optional states the device does not support are skipped by re-indexing the table
 * from the skipped state. Pairs the table marks {@code ERROR} (STOP_COPY → PRE_COPY and
 * STOP_COPY → PRE_COPY_P2P) are refused with {@code EINVAL} since the 7.2 fix "vfio: prevent
 * infinite loop in vfio_mig_get_next_state() on blocked arc"; kernels 6.2 to 7.1 spin forever
 * there when the device supports the target ({@link Kernel#V6_2_TO_7_1}).
 */
public final class V2Fsm {

    /** Which kernel's behaviour to model on the blocked arcs. */
    public enum Kernel {
        /** Current kernels (7.2 and the stable backports): blocked arcs return EINVAL. */
        CURRENT,
        /** Kernels 6.2 to 7.1: a blocked arc reached on a PRE_COPY device loops forever (soft lockup). */
        V6_2_TO_7_1
    }

    /** What the next-step function returns. */
    public enum Outcome {
        /** {@link NextStep#state()} is the next hop. */
        NEXT,
        /** {@code -EINVAL}. */
        EINVAL,
        /** The function never returns (6.2–7.1 only). */
        HANG
    }

    /** One call of the next-step function: the hop, or why there is none. */
    public record NextStep(Outcome outcome, MigState state) {
        static NextStep next(MigState s) {
            return new NextStep(Outcome.NEXT, s);
        }

        static final NextStep EINVAL = new NextStep(Outcome.EINVAL, null);
        static final NextStep HANG = new NextStep(Outcome.HANG, null);

        /** {@code STOP_COPY}, {@code EINVAL} or {@code HANG}. */
        public String label() {
            return outcome == Outcome.NEXT ? state.name() : outcome.name();
        }
    }

    /**
     * The states one SET walks from {@code from} to {@code to}, starting with {@code from}; or the
     * outcome that stopped it. A SET to the current state walks nothing and succeeds: drivers loop
     * {@code while (cur != new)}, so the next-step function is not even called (this holds for
     * ERROR → ERROR too).
     */
    public record Walk(Outcome outcome, List<MigState> states) {
        /** {@code RUNNING>RUNNING_P2P>STOP}, or {@code EINVAL} / {@code HANG}. */
        public String label() {
            if (outcome != Outcome.NEXT) {
                return outcome.name();
            }
            StringBuilder sb = new StringBuilder();
            for (MigState s : states) {
                sb.append(sb.length() > 0 ? ">" : "").append(s.name());
            }
            return sb.toString();
        }

        /** The arcs a driver performs: pairs of consecutive states. */
        public int arcCount() {
            return outcome == Outcome.NEXT ? states.size() - 1 : 0;
        }
    }

    private static final MigState ERR = MigState.ERROR;
    private static final MigState STOP = MigState.STOP;
    private static final MigState RUN = MigState.RUNNING;
    private static final MigState SC = MigState.STOP_COPY;
    private static final MigState RES = MigState.RESUMING;
    private static final MigState RP2P = MigState.RUNNING_P2P;
    private static final MigState PC = MigState.PRE_COPY;
    private static final MigState PCP2P = MigState.PRE_COPY_P2P;

    /**
     * {@code vfio_from_fsm_table}, indexed [current][target] by uAPI value
     * (ERROR, STOP, RUNNING, STOP_COPY, RESUMING, RUNNING_P2P, PRE_COPY, PRE_COPY_P2P).
     */
    private static final MigState[][] TABLE = {
        /* ERROR        */ {ERR, ERR, ERR, ERR, ERR, ERR, ERR, ERR},
        /* STOP         */ {ERR, STOP, RP2P, SC, RES, RP2P, RP2P, RP2P},
        /* RUNNING      */ {ERR, RP2P, RUN, RP2P, RP2P, RP2P, PC, RP2P},
        /* STOP_COPY    */ {ERR, STOP, STOP, SC, STOP, STOP, ERR, ERR},
        /* RESUMING     */ {ERR, STOP, STOP, STOP, RES, STOP, STOP, STOP},
        /* RUNNING_P2P  */ {ERR, STOP, RUN, STOP, STOP, RP2P, RUN, PCP2P},
        /* PRE_COPY     */ {ERR, RUN, RUN, PCP2P, RUN, RUN, PC, PCP2P},
        /* PRE_COPY_P2P */ {ERR, RP2P, RP2P, SC, RP2P, RP2P, PC, PCP2P},
    };

    private V2Fsm() {
    }

    /**
     * {@code vfio_mig_get_next_state(device, current, target)} for a device with migration flags
     * {@code flags}.
     */
    public static NextStep nextState(MigState current, MigState target, int flags, Kernel kernel) {
        if (!current.supportedBy(flags)) {
            return NextStep.EINVAL; // the kernel WARNs: a device can never be in such a state
        }
        if (!target.supportedBy(flags)) {
            return NextStep.EINVAL;
        }
        MigState next = TABLE[current.value()][target.value()];
        while (!next.supportedBy(flags)) {
            if (next == ERR && kernel == Kernel.V6_2_TO_7_1) {
                return NextStep.HANG; // ERROR "needs" every flag and maps to itself: no exit
            }
            if (next == ERR) {
                break;
            }
            next = TABLE[next.value()][target.value()];
        }
        return next == ERR ? NextStep.EINVAL : NextStep.next(next);
    }

    /** {@link #nextState(MigState, MigState, int, Kernel)} with current kernel semantics. */
    public static NextStep nextState(MigState current, MigState target, int flags) {
        return nextState(current, target, flags, Kernel.CURRENT);
    }

    /**
     * The walk of one SET from {@code from} to {@code to}, as the drivers' set-state loop does it
     * (mlx5, hisi_acc, pds, mtty: {@code while (cur != new) { next = get_next_state(); step(next) }}),
     * assuming every arc succeeds.
     */
    public static Walk walk(MigState from, MigState to, int flags, Kernel kernel) {
        List<MigState> states = new ArrayList<>(6);
        states.add(from);
        MigState cur = from;
        while (cur != to) {
            NextStep step = nextState(cur, to, flags, kernel);
            if (step.outcome() != Outcome.NEXT) {
                return new Walk(step.outcome(), List.of());
            }
            cur = step.state();
            states.add(cur);
            if (states.size() > MigState.NR + 1) {
                throw new IllegalStateException("FSM table walk does not terminate: " + states);
            }
        }
        return new Walk(Outcome.NEXT, List.copyOf(states));
    }

    /**
     * Whether {@code from → to} is a single arc that a driver implements for these flags
     * (the list in the comment above {@code vfio_from_fsm_table}).
     */
    public static boolean isDriverArc(MigState from, MigState to, int flags) {
        if (from == to || !from.supportedBy(flags) || !to.supportedBy(flags) || from == ERR || to == ERR) {
            return false;
        }
        NextStep step = nextState(from, to, flags);
        return step.outcome() == Outcome.NEXT && step.state() == to;
    }
}
