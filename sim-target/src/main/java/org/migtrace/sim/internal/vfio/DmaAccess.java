package org.migtrace.sim.internal.vfio;

/**
 * The pinning API that emulated-IOMMU (mdev-style) vendor drivers use instead of an IOMMU
 * ({@code vfio_pin_pages}, {@code vfio_unpin_pages}, {@code vfio_dma_rw} in
 * {@code drivers/vfio/vfio_main.c}), backed by the type1 container or an IOMMUFD access.
 */
public interface DmaAccess {
    /** Pins {@code npage} pages from {@code iova}: the number pinned, or {@code -errno}. */
    long pinPages(VfioDevice device, long iova, int npage, int prot);

    /** Unpins pages pinned earlier. */
    void unpinPages(VfioDevice device, long iova, int npage);

    /** Copies to or from guest memory on the device's behalf: 0 or {@code -errno}. */
    long dmaRw(VfioDevice device, long iova, long length, boolean write);
}
