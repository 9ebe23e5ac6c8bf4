package org.migtrace.replay;

/**
 * One point where a target's outcome differs from the recording (or, in a differential replay,
 * from the other target's): which stimulus, which part of the outcome, and the two values.
 *
 * @param seq      the stimulus event's {@code seq} in the trace
 * @param tsNs     its recorded time
 * @param host     its host
 * @param op       its op (ioctl name, syscall, DMA_WRITE)
 * @param object   the fd's object or the device, when known
 * @param detail   the request in a few words: feature and ops, requested state, range
 * @param field    what differs: {@code ret}, {@code states}, {@code bitmap}, or a value's name
 * @param expected the recording's value (differential: the first target's)
 * @param actual   the target's value (differential: the {@code --against} target's)
 * @param note     what the difference is made of (for a bitmap: the pages missing and extra, as runs)
 */
public record Divergence(long seq, long tsNs, String host, String op, String object, String detail, String field,
                         String expected, String actual, String note) {
}
