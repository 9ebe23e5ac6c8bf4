package org.migtrace.sim.scenario;

/** How the VMM attaches devices to the IOMMU: the VFIO type1 container, or IOMMUFD. */
public enum IommuBackend implements Labeled {
    TYPE1("type1"),
    IOMMUFD("iommufd");

    private final String label;

    IommuBackend(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
