package org.migtrace.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.migtrace.replay.spi.ReplayTargetFactory;
import org.migtrace.replay.variant.Variant;

/**
 * The mutation score: every built-in variant diverges on at least one sample trace, and the
 * reference diverges on none (KernelReplayTest). A variant no trace catches fails this test by name.
 */
class VariantCatchTest {
    @Test
    void everyVariantIsCaughtBySomeSampleTrace() throws Exception {
        Map<String, List<String>> caughtBy = new TreeMap<>();
        List<String> traces = SampleTraces.ALL;
        for (ReplayTargetFactory f : Targets.builtIn().all()) {
            if (!(f instanceof Variant)) {
                continue;
            }
            List<String> by = new ArrayList<>();
            for (String t : traces) {
                if (Replayer.replay(SampleTraces.of(t), f, null).diverged()) {
                    by.add(t);
                }
            }
            caughtBy.put(f.name(), by);
        }
        assertThat(caughtBy).isNotEmpty();
        assertThat(caughtBy.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).toList())
                .as("variants no sample trace catches; caught: " + caughtBy).isEmpty();
    }
}
