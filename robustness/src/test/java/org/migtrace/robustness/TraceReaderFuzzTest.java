package org.migtrace.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.JsonlImport;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.trace.Table;
import org.migtrace.trace.TableCursor;
import org.migtrace.trace.TraceFormat;
import org.migtrace.trace.TraceVerifier;
import org.migtrace.trace.VerificationReport;

/**
 * The trace reader and the verifier on any file in place of one of a trace's: every row that
 * reads, or a {@link BadTraceException} naming the file and (for an Arrow file) the offset; the
 * verifier reports, never throws. The input's first byte chooses the file (bits 0-1: manifest,
 * events, dirty runs, iterations) and the trace it goes into (bit 2: one a killed writer left: not
 * complete, no tables listed, where a cut-off file is a prefix rather than damage); the rest of
 * the input is the file. The other files are those of {@code base-trace.jsonl} imported.
 *
 * <p>Seed inputs ({@code TraceReaderFuzzTestInputs/}) are the base trace's own files behind each
 * selector byte.
 */
class TraceReaderFuzzTest {

    private static final List<String> FILES = List.of(TraceFormat.MANIFEST, Table.EVENTS.file(),
            Table.DIRTY_RUNS.file(), Table.ITERATIONS.file());
    private static final Path ROOT = tempRoot();
    private static final Path FINISHED = ROOT.resolve("base-finished");
    private static final Path KILLED = ROOT.resolve("base-killed");
    private static final AtomicLong RUNS = new AtomicLong();

    static {
        try {
            writeBases();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (BadTraceException e) {
            throw new IllegalStateException(e);
        }
    }

    @Timeout(FuzzInputs.INPUT_SECONDS)
    @FuzzTest(maxDuration = "10s")
    void anyFileReadsOrIsRefusedWithItsPlace(byte[] input) throws Exception {
        int selector = input.length == 0 ? 0 : input[0];
        Path base = (selector & 4) == 0 ? FINISHED : KILLED;
        Path dir = ROOT.resolve("r" + RUNS.incrementAndGet());
        Files.createDirectories(dir);
        try {
            for (String f : FILES) {
                Files.copy(base.resolve(f), dir.resolve(f));
            }
            Path file = dir.resolve(FILES.get(selector & 3));
            Files.write(file, input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length));
            readsOrNamesThePlace(dir);
            VerificationReport report = TraceVerifier.verify(dir);
            assertThat(report.problems()).allSatisfy(p -> assertThat(p.file().toString()).startsWith(dir.toString()));
        } finally {
            ImportContract.delete(dir);
        }
    }

    private static void readsOrNamesThePlace(Path dir) throws IOException {
        try (RecordedTrace trace = RecordedTrace.open(dir)) {
            drain(trace.events());
            drain(trace.dirtyRuns());
            drain(trace.iterations());
        } catch (BadTraceException e) {
            assertThat(e.getMessage()).as("names a file of the trace")
                    .matches(java.util.regex.Pattern.quote(dir.toString()) + "/[a-z_.]+(:\\d+|: offset \\d+)?: .+");
        }
    }

    private static void drain(TableCursor<?> rows) throws BadTraceException, IOException {
        try (rows) {
            while (rows.hasNext()) {
                rows.next();
            }
        }
    }

    private static Path tempRoot() {
        try {
            Path root = Files.createTempDirectory("migtrace-fuzz");
            // deleteOnExit would leave it: it removes empty directories only, and the bases are inside
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    ImportContract.delete(root);
                } catch (IOException e) {
                    // a temporary directory the system cleans up anyway
                }
            }));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeBases() throws IOException, BadTraceException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                TraceReaderFuzzTest.class.getResourceAsStream("base-trace.jsonl"), StandardCharsets.UTF_8))) {
            JsonlImport.toTrace(in, Path.of("base-trace.jsonl"), FINISHED);
        }
        Files.createDirectories(KILLED);
        for (String f : FILES) {
            Files.copy(FINISHED.resolve(f), KILLED.resolve(f));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = (ObjectNode) json.readTree(KILLED.resolve(TraceFormat.MANIFEST).toFile());
        manifest.put("complete", false);
        manifest.remove("tables");
        json.writeValue(KILLED.resolve(TraceFormat.MANIFEST).toFile(), manifest);
    }
}
