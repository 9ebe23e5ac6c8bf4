package org.migtrace.uapi;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@code struct vfio_device_feature_migration.flags}: what a v2 migration driver supports.
 * {@code STOP_COPY} is mandatory; the defined combinations are SC, SC|P2P, SC|PRE_COPY and
 * SC|P2P|PRE_COPY.
 */
public enum MigrationFlag {
    STOP_COPY(1),
    P2P(2),
    PRE_COPY(4);

    private final int bit;

    MigrationFlag(int bit) {
        this.bit = bit;
    }

    /** {@code VFIO_MIGRATION_*}. */
    public int bit() {
        return bit;
    }

    /** The bitmask of a set of flags. */
    public static int mask(Set<MigrationFlag> flags) {
        int m = 0;
        for (MigrationFlag f : flags) {
            m |= f.bit;
        }
        return m;
    }

    /** The flags set in a bitmask (unknown bits are ignored). */
    public static EnumSet<MigrationFlag> of(long mask) {
        EnumSet<MigrationFlag> out = EnumSet.noneOf(MigrationFlag.class);
        for (MigrationFlag f : values()) {
            if ((mask & f.bit) != 0) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * Parses a comma-separated list such as {@code stop_copy,p2p,pre_copy} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the word it does not know
     */
    public static EnumSet<MigrationFlag> parse(String list) {
        EnumSet<MigrationFlag> out = EnumSet.noneOf(MigrationFlag.class);
        for (String word : list.split(",")) {
            String w = word.trim();
            if (w.isEmpty()) {
                continue;
            }
            try {
                out.add(valueOf(w.toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "unknown migration flag '" + w + "' (expected stop_copy, p2p, pre_copy)", e);
            }
        }
        return out;
    }

    /** {@code STOP_COPY|P2P}; {@code 0} for none. */
    public static String format(Set<MigrationFlag> flags) {
        if (flags.isEmpty()) {
            return "0";
        }
        StringJoiner j = new StringJoiner("|");
        for (MigrationFlag f : flags) {
            j.add(f.name());
        }
        return j.toString();
    }
}
