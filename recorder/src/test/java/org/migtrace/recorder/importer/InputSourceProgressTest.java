package org.migtrace.recorder.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.trace.WorkProgress;

/** {@link InputSource#reporting}: the bytes of the file read so far, of its size. */
class InputSourceProgressTest {

    @TempDir
    Path dir;

    private final List<long[]> reports = new ArrayList<>();
    private final WorkProgress record = (units, total) -> reports.add(new long[] {units, total});

    private static String text() {
        return "a line of a log\n".repeat(50_000); // 800 000 bytes: many buffers
    }

    @Test
    void readingAFileReportsItsBytesUpToItsSize() throws Exception {
        Path file = Files.writeString(dir.resolve("x.log"), text());
        try (InputSource.Lines lines = InputSource.file(file).reporting(record).open()) {
            while (lines.next() != null) {
                // read to the end
            }
        }
        assertThat(reports).hasSizeGreaterThan(2);
        assertThat(reports).allSatisfy(r -> assertThat(r[1]).isEqualTo(Files.size(file)));
        assertThat(reports.get(reports.size() - 1)[0]).isEqualTo(Files.size(file));
        assertThat(reports.stream().mapToLong(r -> r[0])).isSorted();
    }

    @Test
    void aCompressedFileCountsItsCompressedBytes() throws Exception {
        Path file = dir.resolve("x.log.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text().getBytes(StandardCharsets.UTF_8));
        }
        try (InputStream in = InputSource.file(file).reporting(record).bytes()) {
            assertThat(in.readAllBytes()).hasSize(text().length());
        }
        assertThat(reports.get(reports.size() - 1)).containsExactly(Files.size(file), Files.size(file));
    }

    @Test
    void aStreamHasNoSizeAndReportsNothing() throws Exception {
        InputSource stream = InputSource.stream("pipe", new ByteArrayInputStream(text().getBytes(StandardCharsets.UTF_8)));
        assertThat(stream.reporting(record)).isSameAs(stream);
        try (InputStream in = stream.reporting(record).bytes()) {
            in.readAllBytes();
        }
        assertThat(reports).isEmpty();
    }
}
