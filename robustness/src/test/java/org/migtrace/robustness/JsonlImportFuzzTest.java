package org.migtrace.robustness;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * {@code migtrace import jsonl} on any bytes: rows that keep the trace writer's contract, or
 * {@code FILE:LINE: ...} ({@link ImportContract}). Committed inputs (seeds, and every finding
 * with the name of what it broke): {@code src/test/resources/org/migtrace/robustness/JsonlImportFuzzTestInputs/};
 * {@link CorpusToTraceTest} also takes each into a trace directory. Fuzzing: docs/bad-input.md.
 */
class JsonlImportFuzzTest {

    @Timeout(FuzzInputs.INPUT_SECONDS)
    @FuzzTest(maxDuration = "10s")
    void anyBytesImportOrAreRefusedWithTheirLine(byte[] input) throws Exception {
        ImportTarget.JSONL.check(input);
    }
}
