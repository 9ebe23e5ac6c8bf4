package org.migtrace.recorder.importer.qemulog.internal;

import java.util.Optional;

/**
 * The QEMU releases whose trace-event formats the catalog records, oldest first. {@link #V1} stands
 * for 5.1 to 7.2, the releases of the v1 migration protocol, whose VFIO events the catalog knows
 * only where a v2 form would misread them; {@link #DEV} is the VFIO maintainer's development tree
 * ({@code legoater/qemu}), whose events may not be released yet.
 */
public enum QemuRelease {
    V1("5.1-7.2"), V8_0("8.0"), V8_1("8.1"), V8_2("8.2"), V9_0("9.0"), V9_1("9.1"), V9_2("9.2"), V10_0("10.0"), V10_1("10.1"),
    V10_2("10.2"), DEV("dev");

    private final String label;

    QemuRelease(String label) {
        this.label = label;
    }

    /** {@code 9.1}, {@code dev}, or {@code 5.1-7.2}. */
    public String label() {
        return label;
    }

    /** The first release this stands for ({@code 5.1} for {@link #V1}). */
    public String firstLabel() {
        return this == V1 ? "5.1" : label;
    }

    /** The last release this stands for ({@code 7.2} for {@link #V1}). */
    public String lastLabel() {
        return this == V1 ? "7.2" : label;
    }

    /** The release labelled {@code label}. */
    public static Optional<QemuRelease> of(String label) {
        for (QemuRelease r : values()) {
            if (r.label.equals(label)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
