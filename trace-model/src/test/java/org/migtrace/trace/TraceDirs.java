package org.migtrace.trace;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.migtrace.trace.internal.ManifestIo;

/** Test helpers that damage copies of trace directories. */
final class TraceDirs {

    private TraceDirs() {
    }

    static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x5A);
        }
    }

    /** Rewrites the manifest as the writer leaves it while the capture runs: no tables, not complete. */
    static void markUnfinished(Path dir) throws Exception {
        Manifest m = ManifestIo.read(dir);
        ManifestIo.write(dir, new Manifest(m.format(), m.source(), m.hosts(), m.pageSize(), m.guestMemory(), m.devices(),
                m.iommu(), m.scenario(), java.util.List.of(), 0, false, null, null));
    }

    static void writeManifestJson(Path dir, String json) throws IOException {
        Files.writeString(dir.resolve(TraceFormat.MANIFEST), json);
    }
}
