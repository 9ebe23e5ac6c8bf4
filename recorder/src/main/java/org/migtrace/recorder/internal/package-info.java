/**
 * The recorder's machinery: syscall decoding ({@link org.migtrace.recorder.internal.SyscallDecoder},
 * one {@link org.migtrace.recorder.internal.IoctlCodec} per modelled ioctl in
 * {@link org.migtrace.recorder.internal.IoctlCodecs}, struct members by C name in
 * {@link org.migtrace.recorder.internal.StructValues}), dirty bitmaps as runs
 * ({@link org.migtrace.recorder.internal.BitmapRuns}), device regions and v1 registers
 * ({@link org.migtrace.recorder.internal.DeviceRegions}), the rows of each kind
 * ({@link org.migtrace.recorder.internal.EventRows}, {@link org.migtrace.recorder.internal.MigrationRows})
 * and the start manifest of a simulated run ({@link org.migtrace.recorder.internal.SimManifest}).
 * The struct decoders work on bytes a tracer read ({@link org.migtrace.recorder.internal.UserBytes}),
 * so that importers of real hosts' traces can share them.
 */
package org.migtrace.recorder.internal;
