/**
 * The trace format. A trace is a directory: {@code manifest.json} ({@link org.migtrace.trace.Manifest})
 * and one Arrow IPC file per {@link org.migtrace.trace.Table}, whose columns are the enums
 * {@link org.migtrace.trace.EventColumn}, {@link org.migtrace.trace.DirtyRunColumn} and
 * {@link org.migtrace.trace.IterationColumn}. Producers append rows through a
 * {@link org.migtrace.trace.TraceSink}. The format's identity and versioning rules are in
 * {@link org.migtrace.trace.TraceFormat}; docs/trace-format.md documents every column.
 */
package org.migtrace.trace;
