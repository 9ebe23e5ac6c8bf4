package org.migtrace.cli.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.migtrace.cli.Main;
import org.migtrace.recorder.importer.bpftrace.BpftraceEnvironment;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.trace.TableCursor;
import org.migtrace.trace.TraceVerifier;

/**
 * The real thing, where bpftrace can run (root, bpftrace, tracefs; python3 for the workload):
 * {@code migtrace record --bpftrace --pid} with the shipped script follows a small program that
 * issues a migration's VFIO and IOMMUFD ioctls with real argument structs on files whose paths look
 * like VFIO's ({@code vfio_workload.py}; every ioctl fails with ENOTTY, the arguments are still
 * there), and the trace must hold every call, in order, with the arguments the program passed; the
 * program's exit ends the capture, complete. Elsewhere the test is skipped with the reason.
 */
class BpftraceCaptureEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Path root;
    private Process program;

    @BeforeEach
    void environment() throws IOException {
        List<String> problems = new ArrayList<>(BpftraceEnvironment.problems("bpftrace"));
        if (Stream.of(System.getenv("PATH").split(":")).noneMatch(d -> Files.isExecutable(Path.of(d, "python3")))) {
            problems.add("python3 not found (the workload is a python3 program)");
        }
        if (!problems.isEmpty()) {
            System.err.println("BpftraceCaptureEndToEndTest skipped: " + String.join("; ", problems));
        }
        Assumptions.assumeTrue(problems.isEmpty(), () -> "bpftrace cannot run here: " + String.join("; ", problems));
        // short (BpftraceScript.MAX_ROOT): each byte of the paths doubles the BPF verifier's work in 0.17
        root = Files.createDirectory(Path.of("/tmp", "m" + Integer.toString(36 * 36 + (int) ((System.nanoTime()
                ^ ProcessHandle.current().pid()) & 0x7FFFFFFF) % (36 * 35), 36).substring(1)));
        Files.createDirectories(root.resolve("dev/vfio/devices"));
        for (String f : List.of("dev/vfio/vfio", "dev/vfio/45", "dev/vfio/devices/vfio0", "dev/iommu")) {
            Files.createFile(root.resolve(f));
        }
    }

    @AfterEach
    void clean() throws IOException {
        if (program != null) {
            program.destroyForcibly();
        }
        if (root != null) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** A writer whose text so far can be read while a command still writes to it. */
    private static final class Watched extends Writer {
        private final StringBuilder text = new StringBuilder();

        @Override
        public synchronized void write(char[] cbuf, int off, int len) {
            text.append(cbuf, off, len);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        synchronized String text() {
            return text.toString();
        }
    }

    @Test
    void aLiveCaptureHoldsEveryCallInOrderWithTheArgumentsPassed() throws Exception {
        Path workload = root.resolve("vfio_workload.py");
        try (InputStream in = getClass().getResourceAsStream("vfio_workload.py")) {
            Files.copy(in, workload);
        }
        program = new ProcessBuilder("python3", workload.toString(), root.toString())
                .redirectError(root.resolve("workload.err").toFile()).start();
        Path trace = root.resolve("trace");
        StringWriter out = new StringWriter();
        Watched err = new Watched();
        int[] exit = {-1};
        Thread cli = new Thread(() -> exit[0] = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("record", "--bpftrace", "--pid", Long.toString(program.pid()), "--dev-root", root.toString(),
                        "-o", trace.toString()));
        cli.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!err.text().contains("capturing pid") && cli.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(err.text()).as("the capture started").contains("capturing pid " + program.pid());
        Files.createFile(root.resolve("go"));
        String made = new String(program.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(program.waitFor(30, TimeUnit.SECONDS)).isTrue();
        cli.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(cli.isAlive()).as("the capture ended when the program exited").isFalse();
        assertThat(exit[0]).as(out + "\n" + err.text()).isZero();
        assertThat(out.toString()).contains("capture complete");

        JsonNode calls = JSON.readTree(made).get("calls");
        List<RecordedEvent> rows = new ArrayList<>();
        try (RecordedTrace t = RecordedTrace.open(trace); TableCursor<RecordedEvent> events = t.events()) {
            assertThat(t.manifest().complete()).isTrue();
            assertThat(t.manifest().source().kind()).isEqualTo("bpftrace");
            while (events.hasNext()) {
                rows.add(events.next());
            }
        }
        assertThat(TraceVerifier.verify(trace).ok()).isTrue();
        List<RecordedEvent> followed = rows.stream().filter(r -> r.fd() == null || r.fd() != -1).toList();
        int at = 0;
        for (JsonNode call : calls) {
            RecordedEvent row = next(followed, at, call);
            assertThat(row).as("the row of %s (after row %d)", call, at).isNotNull();
            at = followed.indexOf(row) + 1;
            check(call, row);
        }
    }

    /** The first row from {@code from} on that is the workload's {@code call}. */
    private static RecordedEvent next(List<RecordedEvent> rows, int from, JsonNode call) {
        for (RecordedEvent r : rows.subList(from, rows.size())) {
            String op = call.get("op").asText();
            boolean same = switch (op) {
                case "openat" -> r.op().equals("openat") && call.get("path").asText().equals(r.object());
                case "ioctl" -> r.cmd() != null && r.cmd() == call.get("cmd").asLong() && r.fd() == call.get("fd").asInt();
                default -> r.op().equals(op) && r.fd() != null && r.fd() == call.get("fd").asInt();
            };
            if (same) {
                return r;
            }
        }
        return null;
    }

    private static void check(JsonNode call, RecordedEvent row) throws IOException {
        assertThat(row.ret()).as("ret of %s", call).isEqualTo(call.get("ret").asLong());
        JsonNode args = row.args() == null ? JSON.missingNode() : JSON.readTree(row.args());
        JsonNode in = args.path("in");
        switch (row.op()) {
            case "VFIO_GROUP_SET_CONTAINER" -> assertThat(in.get("container_fd").asInt()).isEqualTo(call.get("container_fd").asInt());
            case "VFIO_SET_IOMMU" -> assertThat(in.get("type").asInt()).isEqualTo(3);
            case "VFIO_IOMMU_GET_INFO" -> assertThat(row.argsz()).isEqualTo(24);
            case "VFIO_IOMMU_MAP_DMA" -> {
                assertThat(row.vaddr()).isEqualTo(call.get("vaddr").asLong());
                assertThat(row.iova()).isEqualTo(call.get("iova").asLong());
                assertThat(row.length()).isEqualTo(call.get("size").asLong());
            }
            case "VFIO_GROUP_GET_DEVICE_FD" -> assertThat(row.device()).isEqualTo("0000:3b:00.1");
            case "VFIO_DEVICE_FEATURE" -> feature(call, row, in, args);
            case "VFIO_IOMMU_DIRTY_PAGES" -> {
                assertThat(row.flags()).isEqualTo(call.get("flags").asLong());
                if (call.has("bitmap")) {
                    long bytes = call.get("size").asLong() / 4096 / 8;
                    assertThat(args.get("bitmap_bytes").asLong()).isEqualTo(bytes);
                    assertThat(args.get("bitmap_captured_bytes").asLong()).isEqualTo(Math.min(bytes, 32768));
                    long first = call.get("iova").asLong() / 4096;
                    assertThat(runs(args)).isEqualTo(bytes == 32768
                            ? List.of(List.of(first, 1L), List.of(first + 800, 64L), List.of(first + 262143, 1L))
                            : List.of(List.of(first, 8L))); // page 320000 lies past the 32 KiB captured
                }
            }
            case "VFIO_IOMMU_UNMAP_DMA" -> {
                assertThat(row.iova()).isEqualTo(call.get("iova").asLong());
                assertThat(row.length()).isEqualTo(call.get("size").asLong());
            }
            case "IOMMU_IOAS_MAP" -> {
                assertThat(in.get("ioas_id").asInt()).isEqualTo(1);
                assertThat(row.vaddr()).isEqualTo(call.get("user_va").asLong());
                assertThat(row.iova()).isEqualTo(call.get("iova").asLong());
                assertThat(row.length()).isEqualTo(call.get("length").asLong());
            }
            case "IOMMU_IOAS_UNMAP" -> assertThat(row.iova()).isEqualTo(call.get("iova").asLong());
            case "IOMMU_HWPT_ALLOC" -> {
                assertThat(row.flags()).isEqualTo(2);
                assertThat(in.get("dev_id").asInt()).isEqualTo(1);
            }
            case "IOMMU_HWPT_SET_DIRTY_TRACKING" -> assertThat(in.get("hwpt_id").asInt()).isEqualTo(2);
            case "IOMMU_HWPT_GET_DIRTY_BITMAP" -> {
                assertThat(row.pageSize()).isEqualTo(4096);
                assertThat(runs(args)).isEqualTo(List.of(List.of(0L, 1L), List.of(800L, 64L), List.of(262143L, 1L)));
            }
            case "pread64", "pwrite64" -> {
                assertThat(row.count()).isEqualTo(call.get("count").asLong());
                assertThat(row.offset()).isEqualTo(call.get("offset").asLong());
                assertThat(row.fdKind()).isEqualTo("DEVICE");
            }
            case "ioctl" -> {
                assertThat(row.fdKind()).isEqualTo("OTHER");
                assertThat(args.get("raw").get("candidates")).extracting(JsonNode::asText)
                        .containsExactly("VFIO_EEH_PE_OP", "VFIO_MIG_GET_PRECOPY_INFO");
            }
            default -> {
            }
        }
    }

    private static void feature(JsonNode call, RecordedEvent row, JsonNode in, JsonNode args) {
        assertThat(row.feature()).isEqualTo(call.get("feature").asText());
        assertThat(row.featureOps()).isEqualTo(call.get("ops").asText());
        switch (row.feature()) {
            case "MIG_DEVICE_STATE" -> assertThat(row.requestedState()).isEqualTo("PRE_COPY");
            case "DMA_LOGGING_START" -> {
                JsonNode ranges = in.get("data").get("*ranges");
                assertThat(ranges).hasSize(2);
                assertThat(ranges.get(1).get("iova").asLong()).isEqualTo(call.get("ranges").get(1).get(0).asLong());
                assertThat(ranges.get(1).get("length").asLong()).isEqualTo(call.get("ranges").get(1).get(1).asLong());
            }
            case "DMA_LOGGING_REPORT" -> {
                assertThat(row.length()).isEqualTo(call.get("length").asLong());
                assertThat(runs(args)).isEqualTo(List.of(List.of(0L, 1L), List.of(800L, 64L), List.of(262143L, 1L)));
            }
            default -> {
            }
        }
    }

    /** The runs of the bitmap buffer a failed call left ({@code args.bitmap_after_failure.runs}). */
    private static List<List<Long>> runs(JsonNode args) {
        List<List<Long>> out = new ArrayList<>();
        for (JsonNode r : args.get("bitmap_after_failure").get("runs")) {
            out.add(List.of(r.get(0).asLong(), r.get(1).asLong()));
        }
        return out;
    }
}
