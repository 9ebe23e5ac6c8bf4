/**
 * How a QEMU log becomes rows. {@link org.migtrace.recorder.importer.qemulog.internal.Catalog} reads
 * the known events from the {@code trace-events} resource (QEMU's own declaration syntax with the
 * releases that printed each form); {@link org.migtrace.recorder.importer.qemulog.internal.TraceEventFormat}
 * compiles a declaration's format into a matcher for the text the log backend printed from it;
 * {@link org.migtrace.recorder.importer.qemulog.internal.LogLine} splits a line's prefix (three
 * eras), name and rest; {@link org.migtrace.recorder.importer.qemulog.internal.TracepointColumns}
 * says which typed columns an event fills; {@code Iterations} derives the migration's steps and its
 * iterations rows; {@link org.migtrace.recorder.importer.qemulog.internal.QemuLogReader} runs one
 * import.
 */
package org.migtrace.recorder.importer.qemulog.internal;
