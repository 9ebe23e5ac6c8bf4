package org.migtrace.sim.internal.iommufd;

/**
 * An object in an IOMMUFD context's table ({@code struct iommufd_object}): its id and its
 * {@code users} count. The table holds one user; every object that points at this one (a HWPT at
 * its IOAS, an attached device at its HWPT, the VFIO driver at its bound device) holds another, so
 * {@code IOMMU_DESTROY} of an object something still uses fails with {@code EBUSY}
 * ({@code drivers/iommu/iommufd/main.c: iommufd_object_remove}).
 */
abstract class IommufdObject {
    /** {@code enum iommufd_object_type}, the kinds this model has. */
    enum Type { DEVICE, HWPT_PAGING, IOAS }

    private final Type type;
    private int id;
    private int users = 1;

    IommufdObject(Type type) {
        this.type = type;
    }

    final Type type() {
        return type;
    }

    final int id() {
        return id;
    }

    final void setId(int id) {
        this.id = id;
    }

    final int users() {
        return users;
    }

    final void addUser() {
        users++;
    }

    final void dropUser() {
        if (users <= 1) {
            throw new IllegalStateException(type + " " + id + ": users underflow");
        }
        users--;
    }

    /** The object's {@code destroy} op: release what it holds (its table slot is already gone). */
    abstract void destroy();
}
