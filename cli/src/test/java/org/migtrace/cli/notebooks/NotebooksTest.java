package org.migtrace.cli.notebooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every notebook under {@code notebooks/} executes with Debian's Jupyter without a failing cell: a
 * cell that raises (a migtrace command that fails, an assertion about the numbers) fails the build.
 * Skipped, saying which packages are missing, where Jupyter is not installed ({@code .ci/run}
 * installs it).
 */
class NotebooksTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path OUT = Path.of("target", "notebooks").toAbsolutePath();

    static List<Path> notebooks() throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve("notebooks"))) {
            return files.filter(f -> f.toString().endsWith(".ipynb")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notebooks")
    void notebookExecutesWithoutAFailingCell(Path notebook) throws Exception {
        assumeJupyter();
        Jupyter.Run run = Jupyter.execute(notebook, OUT);
        assertThat(run.exit()).as("nbconvert --execute %s:%n%s", notebook, run.output()).isZero();
        assertThat(OUT.resolve(notebook.getFileName())).isNotEmptyFile();
    }

    @Test
    void aCellThatRaisesFailsTheRunAndSaysWhich() throws Exception {
        assumeJupyter();
        Path broken = Path.of(NotebooksTest.class.getResource("failing-cell.ipynb").toURI());
        Jupyter.Run run = Jupyter.execute(broken, OUT.resolve("failing"));
        assertThat(run.exit()).isNotZero();
        assertThat(run.output()).contains("AssertionError").contains("migtrace: ").contains("no-such-trace");
    }

    /** Outputs would put megabytes of PNG in every diff; CI executes the notebooks anyway. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("notebooks")
    void notebookIsCommittedWithoutOutputs(Path notebook) throws IOException {
        JsonNode nb = new ObjectMapper().readTree(notebook.toFile());
        for (JsonNode cell : nb.get("cells")) {
            if (cell.get("cell_type").asText().equals("code")) {
                assertThat(cell.get("outputs")).as("%s cell %s", notebook.getFileName(), cell.get("id")).isEmpty();
            }
        }
    }

    @Test
    void theNotebooksAreFound() throws IOException {
        assertThat(notebooks()).extracting(p -> p.getFileName().toString())
                .contains("01-convergence.ipynb", "02-replay-two-targets.ipynb", "03-fleet.ipynb");
    }

    private static void assumeJupyter() throws IOException, InterruptedException {
        Optional<String> reason = Jupyter.unavailable();
        reason.ifPresent(r -> System.err.println("NotebooksTest skipped: " + r));
        Assumptions.assumeTrue(reason.isEmpty(), () -> "notebooks cannot run here: " + reason.orElseThrow());
    }
}
