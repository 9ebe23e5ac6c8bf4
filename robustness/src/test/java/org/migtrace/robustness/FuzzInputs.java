package org.migtrace.robustness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The committed inputs of a fuzz target (Jazzer's {@code <Class>Inputs/<method>/} resource directory). */
final class FuzzInputs {

    /**
     * Seconds one input may take: a hang is a finding (Jazzer hands it to libFuzzer as {@code -timeout}).
     * Generous, for a cold JVM on a loaded machine; an input takes milliseconds.
     */
    static final long INPUT_SECONDS = 30;

    /** The fuzz method of every import target. */
    static final String METHOD = "anyBytesImportOrAreRefusedWithTheirLine";

    private FuzzInputs() {
    }

    /** The files in the resource directory {@code resource} (relative to this package), by name. */
    static List<Path> of(String resource) {
        URL url = FuzzInputs.class.getResource(resource);
        if (url == null) {
            throw new IllegalStateException("no resource directory " + resource);
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
