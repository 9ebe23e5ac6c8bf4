package org.migtrace.robustness;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.migtrace.recorder.importer.ImportOptions;
import org.migtrace.recorder.importer.Importer;
import org.migtrace.recorder.importer.Importers;
import org.migtrace.recorder.importer.InputSource;
import org.migtrace.recorder.importer.bpftrace.BpftraceImport;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.JsonlImport;
import org.migtrace.trace.NewTrace;

/**
 * The inputs migtrace imports, each read from bytes as its {@code migtrace import} command reads
 * a file: into any sink (the fuzz targets) or into a new trace directory (the corpus test).
 */
enum ImportTarget {
    /** {@code import bpftrace}, and the live path of {@code record --bpftrace} (the same stream reader). */
    BPFTRACE("capture.json", BpftraceImportFuzzTest.class) {
        @Override
        void read(byte[] input, NewTrace.SinkFactory sinks) throws BadTraceException, IOException {
            BpftraceImport.run(source(input), sinks.open(BpftraceImport.manifest(null, "fuzz", List.of())), OPTIONS);
        }

        @Override
        void toTrace(byte[] input, Path dir) throws BadTraceException, IOException {
            BpftraceImport.toTrace(source(input), dir, BpftraceImport.manifest(null, "fuzz", List.of()), OPTIONS);
        }
    },
    /** {@code import qemu-log}. */
    QEMU_LOG("qemu.log", QemuLogImportFuzzTest.class) {
        @Override
        void read(byte[] input, NewTrace.SinkFactory sinks) throws BadTraceException, IOException {
            QEMU.read(source(input), new ImportOptions("src", null), sinks);
        }

        @Override
        void toTrace(byte[] input, Path dir) throws BadTraceException, IOException {
            Importers.toTrace(QEMU, source(input), dir, new ImportOptions("src", null));
        }
    },
    /** {@code import jsonl}: UTF-8 lines, as the command decodes them. */
    JSONL("trace.jsonl", JsonlImportFuzzTest.class) {
        @Override
        void read(byte[] input, NewTrace.SinkFactory sinks) throws BadTraceException, IOException {
            try (BufferedReader in = lines(input)) {
                JsonlImport.read(in, Path.of(inputName()), sinks);
            }
        }

        @Override
        void toTrace(byte[] input, Path dir) throws BadTraceException, IOException {
            try (BufferedReader in = lines(input)) {
                JsonlImport.toTrace(in, Path.of(inputName()), dir);
            }
        }
    };

    private static final BpftraceImport.Options OPTIONS = BpftraceImport.Options.defaults().host("src");
    private static final Importer QEMU = Importers.byName("qemu-log").orElseThrow();

    private final String inputName;
    private final Class<?> fuzzTest;

    ImportTarget(String inputName, Class<?> fuzzTest) {
        this.inputName = inputName;
        this.fuzzTest = fuzzTest;
    }

    /** Reads {@code input} into the sink {@code sinks} opens. */
    abstract void read(byte[] input, NewTrace.SinkFactory sinks) throws BadTraceException, IOException;

    /** Imports {@code input} into the new trace directory {@code dir}, as the command does. */
    abstract void toTrace(byte[] input, Path dir) throws BadTraceException, IOException;

    /** The name the input has in messages. */
    String inputName() {
        return inputName;
    }

    /** Where the fuzz target's committed inputs are, as a class path resource. */
    String inputsResource() {
        return fuzzTest.getSimpleName() + "Inputs/" + FuzzInputs.METHOD;
    }

    /** {@link ImportContract#check}: rows keeping the writer's contract, or an error naming the place. */
    void check(byte[] input) throws IOException {
        ImportContract.check(inputName, this != JSONL, sinks -> read(input, sinks));
    }

    InputSource source(byte[] input) {
        return InputSource.of(inputName, () -> new ByteArrayInputStream(input));
    }

    private static BufferedReader lines(byte[] input) {
        return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(input), StandardCharsets.UTF_8));
    }
}
