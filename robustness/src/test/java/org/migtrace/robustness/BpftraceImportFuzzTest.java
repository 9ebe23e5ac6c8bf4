package org.migtrace.robustness;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.migtrace.recorder.importer.InputSource;
import org.migtrace.recorder.importer.bpftrace.BpftraceImport;

/**
 * {@code migtrace import bpftrace} (and so the live path of {@code record --bpftrace}, the same
 * stream reader) on any bytes: a trace that verifies, or {@code FILE:LINE: ...} and nothing left
 * behind ({@link ImportContract}). Regression inputs:
 * {@code src/test/resources/org/migtrace/robustness/BpftraceImportFuzzTestInputs/}.
 */
class BpftraceImportFuzzTest {

    private static final String NAME = "fuzz.json";

    @FuzzTest(maxDuration = "10s")
    void anyBytesImportOrAreRefusedWithTheirLine(byte[] input) throws Exception {
        ImportContract.check(NAME, dir -> BpftraceImport.toTrace(InputSource.of(NAME, () -> new ByteArrayInputStream(input)),
                dir, BpftraceImport.manifest(null, "fuzz", List.of()), BpftraceImport.Options.defaults().host("src")));
    }
}
