/**
 * The {@code qemu-log} importer: QEMU's {@code log} trace backend output read into a trace. The
 * public face is {@link org.migtrace.recorder.importer.qemulog.QemuLogImporter}; the machinery (the
 * event catalog parsed from trace-events declarations, the format compiler, the line shapes, the
 * column mapping and the iterations it derives) is in {@code internal}.
 */
package org.migtrace.recorder.importer.qemulog;
