package org.migtrace.replay.spi;

import java.util.Objects;
import java.util.function.Supplier;
import org.migtrace.trace.Manifest;

/**
 * What a factory gets to build a target: the trace's manifest (hosts, devices with their protocol,
 * features, IOMMU backend and dirty tracking; the scenario of a simulated run) and a way to make the
 * reference model, which variants and plugins wrap to change one behaviour.
 */
public final class TargetContext {
    private final Manifest manifest;
    private final Supplier<ReplayTarget> reference;

    public TargetContext(Manifest manifest, Supplier<ReplayTarget> reference) {
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.reference = Objects.requireNonNull(reference, "reference");
    }

    public Manifest manifest() {
        return manifest;
    }

    /** A new instance of the reference target ({@code kernel}) for this trace. */
    public ReplayTarget reference() {
        return reference.get();
    }
}
