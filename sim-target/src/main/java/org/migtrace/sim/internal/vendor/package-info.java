/**
 * What the v2 variant drivers add to vfio-pci core, modelled on their kernel sources:
 * mlx5-vfio-pci ({@code drivers/vfio/pci/mlx5}), hisi-acc-vfio-pci ({@code drivers/vfio/pci/hisilicon}),
 * the mtty sample ({@code samples/vfio-mdev/mtty.c}), a plain vfio-pci VF, and an emulated-IOMMU
 * device that pins its working set. Shared machinery: the set-state loop
 * ({@link org.migtrace.sim.internal.vendor.V2MigrationDevice}), migration data files
 * ({@link org.migtrace.sim.internal.vendor.SaveFile}, {@link org.migtrace.sim.internal.vendor.ResumeFile}),
 * the record stream format ({@link org.migtrace.sim.internal.vendor.RecordFormat}), the device-state
 * growth model and the mlx5 page tracker.
 */
package org.migtrace.sim.internal.vendor;
