package org.migtrace.cli.sim;

import java.util.EnumSet;
import java.util.Set;
import org.migtrace.uapi.MigrationFlag;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A device's v2 migration flags as given with {@code --features stop_copy,p2p,pre_copy}. A record
 * rather than a bare set so that picocli takes the whole list as one value (it would treat a
 * collection-typed option as repeatable).
 */
record FeatureSet(Set<MigrationFlag> flags) {

    FeatureSet {
        flags = Set.copyOf(flags);
    }

    /** The {@code VFIO_MIGRATION_*} mask. */
    int mask() {
        return MigrationFlag.mask(flags);
    }

    /**
     * Parses the option value. An unknown word or a set without {@code stop_copy} is a usage error
     * (exit 2): it is what the user typed on this command line, not a file we were given.
     */
    static final class Converter implements ITypeConverter<FeatureSet> {
        @Override
        public FeatureSet convert(String value) {
            EnumSet<MigrationFlag> flags;
            try {
                flags = MigrationFlag.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
            // drivers/vfio/pci/vfio_pci_core.c: vfio_pci_core_register_device refuses (-EINVAL) a
            // device with mig_ops but without VFIO_MIGRATION_STOP_COPY: no such device exists.
            if (!flags.contains(MigrationFlag.STOP_COPY)) {
                throw new TypeConversionException(
                        "'" + value + "' lacks stop_copy, which every v2 migration device has");
            }
            return new FeatureSet(flags);
        }
    }
}
