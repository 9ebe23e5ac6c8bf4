package org.migtrace.sim.internal.type1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.migtrace.sim.internal.type1.Type1Rig.MDEV_GROUP;
import static org.migtrace.sim.internal.type1.Type1Rig.NIC_GROUP;
import static org.migtrace.sim.internal.type1.Type1Rig.PAGE;

import org.junit.jupiter.api.Test;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.mem.Bitmap;
import org.migtrace.uapi.Structs;

/** Device DMA through a type1 container: where it lands, what faults, and that it dirties nothing by itself. */
class Type1DomainTest {
    private static final long MB = 1 << 20;

    private final Type1Rig rig = new Type1Rig();
    private final long ram = rig.ram(16 * MB);
    private final KernelCtx hw = new KernelCtx(rig.host, rig.vmm, rig.t);

    private long dma(org.migtrace.sim.internal.vfio.VfioDevice d, long iova, long len) {
        return d.dmaWrite(hw, new long[] {iova}, new long[] {len});
    }

    @Test
    void aDeviceGetsTheContainersDomainWhenItsGroupJoinsAndLosesItWhenItLeaves() {
        int c = (int) rig.calls.openContainer();
        int g = (int) rig.calls.openGroup(NIC_GROUP);
        rig.calls.setContainer(g, c);
        assertThat(rig.nic.domain()).as("no IOMMU set yet").isNull();
        rig.calls.setIommu(c, Structs.VFIO_TYPE1v2_IOMMU);
        assertThat(rig.nic.domain().describe()).startsWith("type1:");
        assertThat(rig.nic.access()).isNotNull();
        rig.calls.unsetContainer(g);
        assertThat(rig.nic.domain()).isNull();
        assertThat(rig.nic.access()).isNull();
    }

    @Test
    void deviceWritesLandInTheWriteLogThroughTheMappings() {
        int c = rig.v2(NIC_GROUP);
        Bitmap log = rig.vmm.memory().trackWrites(ram);
        rig.calls.mapDma(c, ram + 4 * MB, 1L << 32, MB);
        assertThat(dma(rig.nic, (1L << 32) + 3 * PAGE - 1, 2)).isZero();
        assertThat(log.cardinality()).isEqualTo(2);
        assertThat(log.get(1024 + 2)).isTrue();
        assertThat(log.get(1024 + 3)).isTrue();
    }

    @Test
    void writesToUnmappedOrReadOnlyIovaFault() {
        int c = rig.v2(NIC_GROUP);
        Bitmap log = rig.vmm.memory().trackWrites(ram);
        rig.calls.mapDma(c, ram, 0, MB);
        rig.calls.mapDma(c, ram + MB, MB, MB, Structs.VFIO_DMA_MAP_FLAG_READ);
        assertThat(dma(rig.nic, MB - PAGE, 2 * PAGE)).as("second page read-only").isEqualTo(PAGE);
        assertThat(dma(rig.nic, 3 * MB - PAGE, 2 * PAGE)).as("runs past every mapping").isEqualTo(2 * PAGE);
        assertThat(log.cardinality()).isEqualTo(1);
        assertThat(rig.nic.dmaDropped()).isEqualTo(3 * PAGE);
    }

    @Test
    void deviceWritesDirtyNothingByThemselves() {
        int c = rig.v2(Type1Rig.PINNER_GROUP);
        rig.deviceFd(rig.pinner);
        rig.calls.mapDma(c, ram, 0, MB);
        rig.calls.dirtyStart(c);
        rig.pinnerDriver.pin(0, 1, Structs.VFIO_DMA_MAP_FLAG_WRITE);
        rig.calls.dirtyGet(c, 0, MB, PAGE);
        assertThat(dma(rig.pinner, 5 * PAGE, PAGE)).isZero();
        assertThat(rig.calls.dirtyGet(c, 0, MB, PAGE).toBitmap().cardinality())
                .as("only the pinned page: type1 reads no hardware dirty bits").isEqualTo(1);
    }

    @Test
    void anEmulatedDeviceReachesOnlyItsPinnedPages() {
        int c = rig.v2(MDEV_GROUP);
        rig.deviceFd(rig.mdev);
        Bitmap log = rig.vmm.memory().trackWrites(ram);
        rig.calls.mapDma(c, ram, 0, MB);
        rig.mdevDriver.pin(2 * PAGE, 1, Structs.VFIO_DMA_MAP_FLAG_WRITE);
        assertThat(dma(rig.mdev, PAGE, 3 * PAGE)).isEqualTo(2 * PAGE);
        assertThat(log.cardinality()).isEqualTo(1);
        assertThat(log.get(2)).isTrue();
        assertThat(rig.mdev.domain().describe()).startsWith("type1-pinned:");
    }
}
