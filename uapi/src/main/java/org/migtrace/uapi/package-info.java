/**
 * The VFIO and IOMMUFD uAPI as data: ioctl names and numbers ({@link org.migtrace.uapi.Ioctl}),
 * errno ({@link org.migtrace.uapi.Errno}), v2 states and flags ({@link org.migtrace.uapi.MigState},
 * {@link org.migtrace.uapi.MigrationFlag}), the v2 next-step function
 * ({@link org.migtrace.uapi.V2Fsm}), the v1 state encoding ({@link org.migtrace.uapi.V1State}) and
 * struct layouts ({@link org.migtrace.uapi.Structs}).
 *
 * <p>Ground truth is the kernel: {@code include/uapi/linux/vfio.h},
 * {@code include/uapi/linux/iommufd.h} and {@code drivers/vfio/vfio_main.c}.
 */
package org.migtrace.uapi;
