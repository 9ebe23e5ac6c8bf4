package org.migtrace.sim.scenario;

/** How the VMM attaches devices to the IOMMU: the VFIO type1 container, or IOMMUFD. */
public enum IommuBackend implements Labeled {
    TYPE1,
    IOMMUFD;

    @Override
    public String toString() {
        return label();
    }
}
