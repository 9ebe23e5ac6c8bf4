package org.migtrace.replay;

import java.util.List;

/**
 * What a replay found.
 *
 * @param trace       the trace directory as given
 * @param origin      what made the trace: {@code scenario NAME, seed N} for a simulated run (which
 *                    reproduces it), else the source kind and tool
 * @param target      the target's name
 * @param against     the second target's name in a differential replay, else null
 * @param stimuli     stimuli fed (syscalls and memory writes, derived ones included)
 * @param compared    syscalls whose outcome was compared
 * @param derived     memory writes derived from recorded bitmaps (traces without the guest's writes)
 * @param lostEvents  events the capture says it lost (the manifest's count)
 * @param divergences every divergence, in {@code seq} order
 * @param context     the few stimulus events before the first divergence, oldest first (one line each)
 */
public record ReplayResult(String trace, String origin, String target, String against, long stimuli,
                           long compared, long derived, long lostEvents, List<Divergence> divergences,
                           List<String> context) {
    public ReplayResult {
        divergences = List.copyOf(divergences);
        context = List.copyOf(context);
    }

    public boolean diverged() {
        return !divergences.isEmpty();
    }
}
