/**
 * Simulated assigned devices and their vendor drivers, as a scenario configures them:
 * {@link org.migtrace.sim.vendor.V2DeviceConfig} (which driver, its flags, how big and how busy its
 * migration state is, injected arc failures), {@link org.migtrace.sim.vendor.V2Devices} to build and
 * register one. The drivers themselves (v2 set-state loop, data files, PRECOPY_INFO, DMA logging)
 * live in {@code org.migtrace.sim.internal.vendor}.
 */
package org.migtrace.sim.vendor;
