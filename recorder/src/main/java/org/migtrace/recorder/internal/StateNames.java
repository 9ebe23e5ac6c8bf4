package org.migtrace.recorder.internal;

import org.migtrace.uapi.MigState;
import org.migtrace.uapi.V1State;

/** Device states as the trace names them: v2 by {@code enum vfio_device_mig_state} name, v1 by {@code device_state} bits. */
public final class StateNames {
    private StateNames() {
    }

    /** {@code STOP_COPY} for 3; a value that names no state as its number ({@code 9}). */
    public static String v2(long value) {
        return MigState.of(value).map(Enum::name).orElse(Long.toString(value));
    }

    /** {@code RUNNING|SAVING} for 3, {@code STOP} for 0 ({@link V1State#bits}). */
    public static String v1(long value) {
        return V1State.bits(value);
    }

    /** The name of {@code value} in {@code protocol} ({@code v1} or {@code v2}). */
    public static String of(String protocol, long value) {
        return "v1".equals(protocol) ? v1(value) : v2(value);
    }
}
