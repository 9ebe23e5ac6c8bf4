package org.migtrace.sim.internal.vendor;

import org.migtrace.sim.internal.pci.VendorOps;

/**
 * A VF on plain vfio-pci: nothing added to the core. No migration or logging ops, so every
 * migration feature answers ENOTTY; the device may always DMA (it is never stopped).
 */
final class PlainVf implements VendorOps {
    @Override
    public String model() {
        return "plain-vf";
    }

    @Override
    public boolean dmaAllowed() {
        return true;
    }
}
