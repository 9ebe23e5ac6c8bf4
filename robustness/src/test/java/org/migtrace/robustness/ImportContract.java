package org.migtrace.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.NewTrace;

/**
 * What every import promises for any input whatsoever: rows that keep the trace writer's contract,
 * or a {@link BadTraceException} whose message starts with the input's name and a place in it
 * ({@code NAME:LINE: } or {@code NAME: offset N: }). Any other exception, a hang or running out of
 * memory is a finding. The fuzz targets check it into a {@link CheckingSink};
 * {@link CorpusToTraceTest} into trace directories, where bad input must also leave nothing behind.
 */
final class ImportContract {

    /** One import of one input into the sinks {@code sinks} opens. */
    @FunctionalInterface
    interface Import {
        void into(NewTrace.SinkFactory sinks) throws BadTraceException, IOException;
    }

    private ImportContract() {
    }

    /** Runs {@code run} into a {@link CheckingSink} and checks the outcome. */
    static void check(String inputName, boolean pagesArePowersOfTwo, Import run) throws IOException {
        try {
            run.into(start -> new CheckingSink(pagesArePowersOfTwo));
        } catch (BadTraceException e) {
            namesThePlace(inputName, e);
        }
    }

    static void namesThePlace(String inputName, BadTraceException e) {
        assertThat(e.getMessage()).as("bad input names the input and a place in it")
                .matches(Pattern.quote(inputName) + "(:\\d+|: offset \\d+)?: (?s).+");
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
}
