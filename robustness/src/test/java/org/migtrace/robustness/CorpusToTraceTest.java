package org.migtrace.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.trace.TraceVerifier;

/**
 * Every committed fuzz input, imported as the command imports it, into a trace directory: a trace
 * that verifies and reads back every event it counts, or an error naming the input and the place
 * that leaves no directory behind. The fuzz targets check rows against the writer's contract in
 * memory; this takes the same inputs through the writer, the files and the reader.
 */
class CorpusToTraceTest {

    @TempDir
    Path tmp;

    static Stream<Arguments> inputs() {
        return Arrays.stream(ImportTarget.values()).flatMap(t -> FuzzInputs.of(t.inputsResource()).stream()
                .map(f -> Arguments.of(t, f.getFileName().toString(), f)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("inputs")
    void everyInputBecomesATraceThatVerifiesOrIsRefusedLeavingNothing(ImportTarget target, String name, Path file)
            throws Exception {
        Path dir = tmp.resolve("trace");
        try {
            target.toTrace(Files.readAllBytes(file), dir);
        } catch (BadTraceException e) {
            ImportContract.namesThePlace(target.inputName(), e);
            assertThat(dir).as("bad input leaves no trace behind").doesNotExist();
            return;
        }
        assertThat(TraceVerifier.verify(dir).problems()).as("the trace verifies").isEmpty();
        try (RecordedTrace trace = RecordedTrace.open(dir)) {
            assertThat(RecordedTrace.readAllEvents(dir)).hasSize((int) trace.eventCount());
        }
    }
}
