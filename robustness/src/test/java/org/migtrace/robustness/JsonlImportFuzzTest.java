package org.migtrace.robustness;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.migtrace.trace.JsonlImport;

/**
 * {@code migtrace import jsonl} on any bytes: a trace that verifies, or {@code FILE:LINE: ...}
 * and nothing left behind ({@link ImportContract}). Regression inputs:
 * {@code src/test/resources/org/migtrace/robustness/JsonlImportFuzzTestInputs/}.
 */
class JsonlImportFuzzTest {

    private static final Path NAME = Path.of("fuzz.jsonl");

    @FuzzTest(maxDuration = "10s")
    void anyBytesImportOrAreRefusedWithTheirLine(byte[] input) throws Exception {
        ImportContract.check(NAME.toString(), dir -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(input),
                    StandardCharsets.UTF_8))) {
                JsonlImport.toTrace(in, NAME, dir);
            }
        });
    }
}
