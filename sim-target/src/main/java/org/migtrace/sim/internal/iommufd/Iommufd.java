package org.migtrace.sim.internal.iommufd;

import java.util.Map;
import java.util.TreeMap;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.CdevIommufd;
import org.migtrace.sim.internal.vfio.VfioCore;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.internal.vfio.VfioDeviceFile;
import org.migtrace.sim.internal.vfio.VfioGroup;
import org.migtrace.uapi.Errno;

/**
 * The IOMMUFD subsystem of one host: {@code /dev/iommu} (each open is a new context,
 * {@link IommufdCtx}), one device cdev {@code /dev/vfio/devices/vfio<N>} per device registered
 * with the host's {@link VfioCore} at install time (N in registration order from 0), and the
 * cdev side of binding ({@link CdevIommufd}, {@code drivers/vfio/device_cdev.c} and
 * {@code drivers/vfio/iommufd.c}). It also keeps which context owns the DMA of each IOMMU group
 * ({@code iommu_device_claim_dma_owner}).
 */
public final class Iommufd implements CdevIommufd {
    /** A group's DMA owner and how many bound devices hold the claim. */
    private static final class Claim {
        final IommufdCtx owner;
        int count;

        Claim(IommufdCtx owner) {
            this.owner = owner;
        }
    }

    private final SimHost host;
    private final Map<Integer, Claim> owners = new TreeMap<>();
    private int nextSerial;

    private Iommufd(SimHost host) {
        this.host = host;
    }

    /**
     * Installs IOMMUFD on {@code host}: registers {@code /dev/iommu} and a cdev node for every
     * device {@link VfioCore#of(SimHost)} has now, and installs the subsystem (also as the
     * {@link CdevIommufd} the device files call).
     */
    public static Iommufd install(SimHost host) {
        VfioCore core = VfioCore.of(host);
        Iommufd iommufd = new Iommufd(host);
        host.registerDevNode("/dev/iommu", ctx -> ctx.installFd(new IommufdCtx(iommufd, iommufd.nextSerial++)));
        int n = 0;
        for (VfioDevice d : core.devices()) {
            host.registerDevNode(cdevPath(n++), ctx -> VfioDeviceFile.openCdev(ctx, d));
        }
        host.install(Iommufd.class, iommufd);
        host.install(CdevIommufd.class, iommufd);
        return iommufd;
    }

    /** The cdev node of the {@code index}-th registered device. */
    public static String cdevPath(int index) {
        return "/dev/vfio/devices/vfio" + index;
    }

    public SimHost host() {
        return host;
    }

    /** {@code iommu_device_claim_dma_owner}: EBUSY when another context owns the group. */
    long claimDmaOwner(VfioGroup group, IommufdCtx ictx) {
        Claim c = owners.get(group.id());
        if (c != null && c.owner != ictx) {
            return Errno.EBUSY.ret();
        }
        if (c == null) {
            c = new Claim(ictx);
            owners.put(group.id(), c);
        }
        c.count++;
        return 0;
    }

    /** {@code iommu_device_release_dma_owner}. */
    void releaseDmaOwner(VfioGroup group, IommufdCtx ictx) {
        Claim c = owners.get(group.id());
        if (c != null && c.owner == ictx && --c.count == 0) {
            owners.remove(group.id());
        }
    }

    @Override
    public long bind(KernelCtx ctx, VfioDeviceFile file, long arg) {
        return CdevBinder.bind(this, ctx, file, arg);
    }

    @Override
    public long attachPt(KernelCtx ctx, VfioDeviceFile file, long arg) {
        return CdevBinder.attachPt(ctx, file, arg);
    }

    @Override
    public long detachPt(KernelCtx ctx, VfioDeviceFile file, long arg) {
        return CdevBinder.detachPt(ctx, file, arg);
    }

    @Override
    public void unbind(KernelCtx ctx, VfioDeviceFile file) {
        CdevBinder.unbind(ctx, file);
    }
}
