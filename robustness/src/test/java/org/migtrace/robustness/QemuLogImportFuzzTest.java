package org.migtrace.robustness;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import org.migtrace.recorder.importer.ImportOptions;
import org.migtrace.recorder.importer.Importers;
import org.migtrace.recorder.importer.InputSource;

/**
 * {@code migtrace import qemu-log} on any bytes (gzip told by the bytes, as for a file): a trace
 * that verifies, or {@code FILE:LINE: ...} and nothing left behind ({@link ImportContract}).
 * Regression inputs: {@code src/test/resources/org/migtrace/robustness/QemuLogImportFuzzTestInputs/}.
 */
class QemuLogImportFuzzTest {

    private static final String NAME = "fuzz.log";

    @FuzzTest(maxDuration = "10s")
    void anyBytesImportOrAreRefusedWithTheirLine(byte[] input) throws Exception {
        ImportContract.check(NAME, dir -> Importers.toTrace(Importers.byName("qemu-log").orElseThrow(),
                InputSource.of(NAME, () -> new ByteArrayInputStream(input)), dir, new ImportOptions("src", null)));
    }
}
