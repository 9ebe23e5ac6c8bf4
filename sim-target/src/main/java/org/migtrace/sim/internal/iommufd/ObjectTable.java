package org.migtrace.sim.internal.iommufd;

import java.util.ArrayList;
import java.util.TreeMap;
import org.migtrace.uapi.Errno;

/**
 * The {@code ictx->objects} xarray: ids come from {@code xa_alloc} with {@code XA_FLAGS_ALLOC1},
 * i.e. the lowest free id starting at 1, so a destroyed object's id is handed out again.
 */
final class ObjectTable {
    /** {@code xa_limit_31b}. */
    private static final int MAX_ID = Integer.MAX_VALUE;

    private final TreeMap<Integer, IommufdObject> objects = new TreeMap<>();

    /** {@code iommufd_object_alloc} + {@code finalize}: gives {@code obj} the lowest free id. */
    void add(IommufdObject obj) {
        int id = 1;
        for (int used : objects.keySet()) {
            if (used != id) {
                break;
            }
            id++;
        }
        if (id > MAX_ID || id < 1) {
            throw new IllegalStateException("iommufd object ids exhausted");
        }
        obj.setId(id);
        objects.put(id, obj);
    }

    /** {@code iommufd_get_object(ictx, id, type)}: the object, or null (the caller answers ENOENT). */
    <T extends IommufdObject> T get(long id, IommufdObject.Type type, Class<T> cls) {
        IommufdObject obj = get(id);
        return obj != null && obj.type() == type ? cls.cast(obj) : null;
    }

    /** {@code iommufd_get_object(ictx, id, IOMMUFD_OBJ_ANY)}. */
    IommufdObject get(long id) {
        return id > 0 && id <= MAX_ID ? objects.get((int) id) : null;
    }

    /**
     * {@code iommufd_object_remove} for {@code IOMMU_DESTROY}: ENOENT for an unknown id, EBUSY while
     * anything but the table uses the object; otherwise the object is removed and destroyed.
     */
    long destroy(long id) {
        IommufdObject obj = get(id);
        if (obj == null) {
            return Errno.ENOENT.ret();
        }
        if (obj.users() != 1) {
            return Errno.EBUSY.ret();
        }
        objects.remove(obj.id());
        obj.destroy();
        return 0;
    }

    /** Removes and destroys an object whose last outside user just went away (auto domains, unbind). */
    void destroyIfUnused(IommufdObject obj) {
        if (objects.get(obj.id()) == obj && obj.users() == 1) {
            objects.remove(obj.id());
            obj.destroy();
        }
    }

    /** Removes an object that failed before anyone saw it ({@code iommufd_object_abort_and_destroy}). */
    void abort(IommufdObject obj) {
        objects.remove(obj.id());
        obj.destroy();
    }

    /**
     * {@code iommufd_fops_release}: destroy leaf objects (users == 1) in id order, pass after pass,
     * until the table is empty; objects still used from outside (a bug) are left.
     */
    void destroyAll() {
        while (!objects.isEmpty()) {
            int destroyed = 0;
            for (IommufdObject o : new ArrayList<>(objects.values())) {
                if (objects.get(o.id()) == o && o.users() == 1) {
                    objects.remove(o.id());
                    o.destroy();
                    destroyed++;
                }
            }
            if (destroyed == 0) {
                return; // the kernel WARNs: a users count leaked
            }
        }
    }

    boolean isEmpty() {
        return objects.isEmpty();
    }
}
