package org.migtrace.sim.run.internal;

import java.util.List;
import org.migtrace.sim.SimClock;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.SimObserver;
import org.migtrace.sim.scenario.Scenario;

/**
 * The two machines of a migration, sharing one {@link SimClock}: on each, the scenario's devices
 * registered with their drivers and IOMMU, the IOMMU backends the devices use (type1 container and
 * group nodes, IOMMUFD and the device cdevs), the observers, and a QEMU started on them (the source
 * with pid {@value #SOURCE_PID}, the destination with {@value #DESTINATION_PID}).
 */
final class World {
    static final int SOURCE_PID = 4242;
    static final int DESTINATION_PID = 5353;

    final SimClock clock = new SimClock();
    final SimHost src = new SimHost("src", clock);
    final SimHost dst = new SimHost("dst", clock);
    final Qemu srcQemu;
    final Qemu dstQemu;

    World(Scenario scenario, long seed, List<SimObserver> observers, Failure.Latch failures) {
        for (SimHost h : List.of(src, dst)) {
            HostKernel.install(h, scenario, seed);
            observers.forEach(h::addObserver);
        }
        boolean ack = scenario.migration().switchoverAck();
        srcQemu = Qemu.start(src, SOURCE_PID, scenario, seed, true, failures, ack);
        dstQemu = Qemu.start(dst, DESTINATION_PID, scenario, seed, false, failures, ack);
    }

}
