package org.migtrace.sim.scenario;

/** The VFIO migration protocol a device speaks: v1 (region based, kernels 5.8–5.17) or v2 (the FSM, 5.18+). */
public enum Protocol implements Labeled {
    V1,
    V2;

    @Override
    public String toString() {
        return label();
    }
}
