package org.migtrace.replay.variant;

import java.util.Map;
import java.util.TreeMap;
import org.migtrace.replay.spi.Outcome;
import org.migtrace.replay.spi.Stimulus;
import org.migtrace.trace.RecordedEvent;

/** Each device's migration state as a target's outcomes show it, by {@code host/device}. */
final class DeviceStates {
    private final Map<String, String> current = new TreeMap<>();

    /** Follows {@code o}: the last arc walked, or the state a GET/SET/v1 read returned. */
    void follow(Stimulus s, Outcome o) {
        if (!s.isSyscall() || o.ret() == null || s.event().device() == null) {
            return;
        }
        String key = key(s.event());
        if (!o.states().isEmpty()) {
            String last = o.states().get(o.states().size() - 1);
            current.put(key, last.substring(last.indexOf('>') + 1));
        } else if (o.ret() >= 0 && o.values().containsKey("to_state")) {
            current.put(key, o.values().get("to_state"));
        }
    }

    /** The state of {@code e}'s device, or null when no outcome showed it yet. */
    String of(RecordedEvent e) {
        return current.get(key(e));
    }

    void set(RecordedEvent e, String state) {
        current.put(key(e), state);
    }

    private static String key(RecordedEvent e) {
        return e.host() + "/" + e.device();
    }

    /** Whether {@code s} is a v2 SET asking for PRE_COPY (or PRE_COPY_P2P) of a device this target shows in STOP_COPY. */
    boolean stopCopyToPreCopy(Stimulus s) {
        RecordedEvent e = s.event();
        return s.isSyscall() && isV2Set(e) && "STOP_COPY".equals(of(e)) && e.requestedState() != null
                && e.requestedState().startsWith("PRE_COPY");
    }

    /** Whether {@code e} is a v2 {@code MIG_DEVICE_STATE} SET. */
    static boolean isV2Set(RecordedEvent e) {
        return "VFIO_DEVICE_FEATURE".equals(e.op()) && "MIG_DEVICE_STATE".equals(e.feature())
                && e.featureOps() != null && e.featureOps().contains("SET");
    }

    /** Whether {@code e} is a v1 {@code device_state} write. */
    static boolean isV1Write(RecordedEvent e) {
        return "pwrite64".equals(e.op()) && e.requestedState() != null;
    }
}
