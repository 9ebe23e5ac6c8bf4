package org.migtrace.cli.sim;

import java.util.List;
import org.migtrace.uapi.V2Fsm;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --kernel current|6.2-7.1}: which kernel's next-step function to model. The two differ only
 * on the blocked arcs STOP_COPY → PRE_COPY(_P2P), which spin forever on 6.2 – 7.1 and return
 * EINVAL since "vfio: prevent infinite loop in vfio_mig_get_next_state() on blocked arc" (7.2,
 * backported to stable).
 */
final class KernelChoice {

    static final String CURRENT = "current";
    static final String V6_2_TO_7_1 = "6.2-7.1";

    private KernelChoice() {
    }

    /** The spellings picocli lists in help. */
    static final class Candidates implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of(CURRENT, V6_2_TO_7_1).iterator();
        }
    }

    static final class Converter implements ITypeConverter<V2Fsm.Kernel> {
        @Override
        public V2Fsm.Kernel convert(String value) {
            switch (value) {
                case CURRENT:
                    return V2Fsm.Kernel.CURRENT;
                case V6_2_TO_7_1:
                    return V2Fsm.Kernel.V6_2_TO_7_1;
                default:
                    throw new TypeConversionException(
                            "unknown kernel '" + value + "' (expected " + CURRENT + " or " + V6_2_TO_7_1 + ")");
            }
        }
    }
}
