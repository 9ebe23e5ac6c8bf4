package org.migtrace.sim.internal.vendor;

import org.migtrace.sim.mem.UserMemory;

/** Whether a user range can be copied without a fault, without copying it. */
final class UserRange {
    private UserRange() {
    }

    /**
     * {@code access_ok} plus "mapped": the whole range lies in one mapping of {@code mem}, which is
     * what {@link UserMemory} requires of every access.
     */
    static boolean mapped(UserMemory mem, long addr, long len) {
        if (!UserMemory.accessOk(addr, len)) {
            return false;
        }
        if (len == 0) {
            return true;
        }
        UserMemory.Region r = mem.regionAt(addr);
        return r != null && len <= r.end() - addr;
    }
}
