package org.migtrace.sim.internal.type1;

import java.util.Map;
import java.util.TreeMap;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.SimProcess;
import org.migtrace.sim.internal.vfio.VfioCore;
import org.migtrace.sim.internal.vfio.VfioGroup;

/**
 * The legacy VFIO container model of one host: {@code /dev/vfio/vfio} ({@code drivers/vfio/container.c})
 * with the type1 IOMMU backend ({@code drivers/vfio/vfio_iommu_type1.c}) and the group nodes
 * {@code /dev/vfio/<group>} ({@code drivers/vfio/group.c}).
 *
 * <p>{@link #install(SimHost)} registers the nodes for every group the host's {@link VfioCore}
 * knows at that point, as IOMMUFD does for its device cdevs. Per-process
 * locked-page accounting ({@code mm->locked_vm}) is kept here, since mappings of several
 * containers charge the same process.
 */
public final class Type1 {
    public static final String CONTAINER_PATH = "/dev/vfio/vfio";

    private final SimHost host;
    private final Type1Options options;
    private final Map<Integer, long[]> lockedPages = new TreeMap<>();
    private int containers;

    private Type1(SimHost host, Type1Options options) {
        this.host = host;
        this.options = options;
    }

    /** Installs the container and group nodes with {@link Type1Options#defaults()}. */
    public static Type1 install(SimHost host) {
        return install(host, Type1Options.defaults());
    }

    /** Installs the container and group nodes of {@code host}. */
    public static Type1 install(SimHost host, Type1Options options) {
        Type1 t = new Type1(host, options);
        host.install(Type1.class, t);
        host.registerDevNode(CONTAINER_PATH, ctx -> ctx.installFd(new ContainerFile(new Container(t, "container" + t.containers++))));
        t.registerGroupNodes();
        return t;
    }

    /** Registers {@code /dev/vfio/<id>} for every group of the host's VFIO core. */
    private void registerGroupNodes() {
        for (VfioGroup g : VfioCore.of(host).groups()) {
            GroupState state = new GroupState(g);
            g.setIommuUse(state);
            host.registerDevNode("/dev/vfio/" + g.id(), state::open);
        }
    }

    public SimHost host() {
        return host;
    }

    public Type1Options options() {
        return options;
    }

    /** Pages {@code process} has locked through type1 mappings ({@code mm->locked_vm}). */
    public long lockedPages(SimProcess process) {
        long[] n = lockedPages.get(process.pid());
        return n == null ? 0 : n[0];
    }

    /** Pages {@code process} may still lock under RLIMIT_MEMLOCK. */
    long memlockAvailablePages(SimProcess process) {
        if (!options.memlockLimited()) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, (options.memlockLimitBytes() >>> Type1Iommu.PAGE_SHIFT) - lockedPages(process));
    }

    /** {@code __account_locked_vm} increment; the caller has checked the limit. */
    void charge(SimProcess process, long pages) {
        if (pages != 0) {
            lockedPages.computeIfAbsent(process.pid(), k -> new long[1])[0] += pages;
        }
    }

    /** {@code __account_locked_vm} decrement (never below zero, as the kernel clamps with a WARN). */
    void uncharge(SimProcess process, long pages) {
        long[] n = lockedPages.get(process.pid());
        if (n != null && pages > 0) {
            n[0] = Math.max(0, n[0] - pages);
        }
    }

    /** Whether RLIMIT_MEMLOCK lets {@code process} lock mappings at map time ({@code dma->lock_cap}). */
    boolean lockCap() {
        return !options.memlockLimited();
    }
}
