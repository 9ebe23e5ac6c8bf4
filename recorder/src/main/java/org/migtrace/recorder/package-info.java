/**
 * Capture into traces. {@link org.migtrace.recorder.Recording} records a simulated migration (a
 * scenario and a seed) into a {@link org.migtrace.trace.TraceSink} and provides the trace's start
 * manifest; {@link org.migtrace.recorder.SimRecorder} is the observer that turns what the simulated
 * stack does into rows, and documents the order and the columns of each kind of row. The decoders
 * (struct arguments by C member name, dirty bitmaps as runs, device regions) are in
 * {@code org.migtrace.recorder.internal}.
 */
package org.migtrace.recorder;
