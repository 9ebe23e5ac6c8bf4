package org.migtrace.sim;

/**
 * A device's migration state changed inside the kernel: one arc a v2 driver performed while walking
 * toward a requested state, a v1 {@code device_state} write, a reset, or a fall into ERROR.
 *
 * @param host     host of the device
 * @param device   device name
 * @param tsNs     virtual time
 * @param protocol {@code v1} or {@code v2}
 * @param from     previous state (v2: {@code MigState} value; v1: {@code device_state} bits)
 * @param to       new state, same encoding
 * @param cause    {@code arc}, {@code reset}, {@code error} (the driver fell into ERROR), or {@code write} (v1)
 */
public record DeviceStateEvent(String host, String device, long tsNs, String protocol, int from, int to, String cause) {
}
