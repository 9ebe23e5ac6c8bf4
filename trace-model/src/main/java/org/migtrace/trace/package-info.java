/**
 * The trace format. A trace is a directory: {@code manifest.json} ({@link org.migtrace.trace.Manifest})
 * and one Arrow IPC file per {@link org.migtrace.trace.Table}, whose columns are the enums
 * {@link org.migtrace.trace.EventColumn}, {@link org.migtrace.trace.DirtyRunColumn} and
 * {@link org.migtrace.trace.IterationColumn}. The format's identity and versioning rules are in
 * {@link org.migtrace.trace.TraceFormat}; docs/trace-format.md documents every column.
 *
 * <ul>
 *   <li>Writing: producers append rows through a {@link org.migtrace.trace.TraceSink};
 *       {@link org.migtrace.trace.TraceWriter} is the crash-safe streaming one.</li>
 *   <li>Reading: {@link org.migtrace.trace.RecordedTrace} ({@code hasMoreEvents}/{@code readEvent},
 *       cursors per table), rows as {@link org.migtrace.trace.RecordedEvent},
 *       {@link org.migtrace.trace.RecordedDirtyRun} and {@link org.migtrace.trace.IterationRow}.</li>
 *   <li>Checking and summing up: {@link org.migtrace.trace.TraceVerifier},
 *       {@link org.migtrace.trace.TraceSummary}.</li>
 *   <li>JSON lines: {@link org.migtrace.trace.JsonlExport}, {@link org.migtrace.trace.JsonlImport}.</li>
 * </ul>
 *
 * <p>Bad input is a {@link org.migtrace.trace.BadTraceException} naming the file and the byte
 * offset or line; contract violations by producers are {@link IllegalStateException}s.
 */
package org.migtrace.trace;
