package org.migtrace.sim.run;

import org.junit.jupiter.api.Test;
import org.migtrace.sim.IterationStats;
import org.migtrace.sim.scenario.ScenarioLoader;

class ScratchTest {
    @Test
    void run() throws Exception {
        for (String name : System.getProperty("scn", "nic-converges").split(",")) {
            long t0 = System.nanoTime();
            RunReport r = Simulation.of(ScenarioLoader.builtIn(name)).run();
            System.out.println("== " + name + " wall " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            for (IterationStats s : r.iterations()) {
                System.out.println(s);
            }
            System.out.println(r.verdict());
            System.out.println("lost " + r.lostPages() + " tracking " + r.tracking() + " total " + r.totalBytes() + " dev " + r.devices());
        }
    }
}
