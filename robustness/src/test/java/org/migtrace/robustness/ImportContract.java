package org.migtrace.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.trace.TraceVerifier;
import org.migtrace.trace.VerificationReport;

/**
 * What every import promises for any input whatsoever, checked by the fuzz targets: either a trace
 * that verifies and reads back every event it counts, or a {@link BadTraceException} whose message
 * starts with the input's name and a place in it ({@code NAME:LINE: } or {@code NAME: offset N: })
 * and that leaves no directory behind. Any other exception, a hang or running out of memory is a
 * finding.
 */
final class ImportContract {

    /** One import of one input into a new trace directory. */
    @FunctionalInterface
    interface Import {
        void into(Path dir) throws BadTraceException, IOException;
    }

    private static final AtomicLong RUNS = new AtomicLong();
    private static final Path ROOT = tempRoot();

    private ImportContract() {
    }

    /**
     * Runs {@code run} into a fresh directory and checks the outcome.
     *
     * @param inputName the input's name as the importer reports it in messages
     */
    static void check(String inputName, Import run) throws IOException {
        Path dir = ROOT.resolve("t" + RUNS.incrementAndGet());
        try {
            run.into(dir);
            VerificationReport report = TraceVerifier.verify(dir);
            assertThat(report.problems()).as("an imported trace verifies").isEmpty();
            try (RecordedTrace trace = RecordedTrace.open(dir)) {
                assertThat(RecordedTrace.readAllEvents(dir)).hasSize((int) trace.eventCount());
            }
        } catch (BadTraceException e) {
            assertThat(e.getMessage()).as("bad input names the input and a place in it")
                    .matches(java.util.regex.Pattern.quote(inputName) + "(:\\d+|: offset \\d+)?: .+");
            assertThat(dir).as("bad input leaves no trace behind").doesNotExist();
        } finally {
            delete(dir);
        }
    }

    static Path root() {
        return ROOT;
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Path tempRoot() {
        try {
            Path root = Files.createTempDirectory("migtrace-fuzz");
            root.toFile().deleteOnExit();
            return root;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
