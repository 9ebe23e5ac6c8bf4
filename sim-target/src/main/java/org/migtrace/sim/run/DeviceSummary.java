package org.migtrace.sim.run;

/**
 * One device's part in a run.
 *
 * @param name              device name
 * @param driver            the driver model ({@code mlx5-vf}, ...)
 * @param protocol          {@code v1} or {@code v2}
 * @param precopyBytes      device state carried while the VM ran
 * @param stopCopyBytes     device state carried while the VM was stopped
 * @param sourceState       the device state QEMU last knew on the source
 * @param destinationState  the device state QEMU last knew on the destination
 */
public record DeviceSummary(String name, String driver, String protocol, long precopyBytes, long stopCopyBytes,
                            String sourceState, String destinationState) {
}
