package org.migtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.FdKind;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.MigState;

/**
 * docs/trace-format.md documents every column and vocabulary exactly as the code defines them: the
 * tables in the document are the ones rendered here from the enums, and its hand-written JSON-lines
 * example imports. Run {@link #main} to print the tables after changing a column.
 */
class TraceFormatDocTest {

    static final Path DOC = Path.of("..", "docs", "trace-format.md");

    @TempDir
    Path tmp;

    static String columns(Table table) {
        StringBuilder sb = new StringBuilder("| column | type | unit | null | meaning |\n|---|---|---|---|---|\n");
        for (Column c : table.columns()) {
            sb.append("| `").append(c.column()).append("` | ").append(c.type().name().toLowerCase(Locale.ROOT))
                    .append(" | ").append(c.unit()).append(" | ").append(c.nullable() ? "may be" : "never").append(" | ")
                    .append(c.doc().replace("|", "\\|")).append(" |\n");
        }
        return sb.toString();
    }

    static String labels(List<String> labels) {
        return labels.stream().map(l -> "`" + l + "`").collect(Collectors.joining(", "));
    }

    static String vocabularies() {
        return "- `kind`: " + labels(Labeled.labels(EventKind.class)) + "\n"
                + "- `actor`: " + labels(Labeled.labels(Actor.class)) + "\n"
                + "- `op` of kind `migration`: " + labels(Stream.of(MigrationOp.values()).map(Enum::name).toList()) + "\n"
                + "- `source` (dirty_runs): " + labels(Labeled.labels(DirtySource.class)) + "\n"
                + "- `decision` (iterations): " + labels(Labeled.labels(Decision.class)) + "\n"
                + "- `fd_kind`: " + labels(Stream.of(FdKind.values()).map(Enum::name).toList()) + "\n";
    }

    static String ioctls() {
        StringBuilder sb = new StringBuilder("| op | cmd | nr | fd kind |\n|---|---|---|---|\n");
        for (Ioctl i : Ioctl.values()) {
            sb.append(String.format("| `%s` | 0x%04X | %d | %s |%n", i.name(), i.number(), i.nr(), i.fdKind()));
        }
        return sb.toString();
    }

    static String states() {
        StringBuilder sb = new StringBuilder("| state | value |\n|---|---|\n");
        for (MigState s : MigState.values()) {
            sb.append("| `").append(s.name()).append("` | ").append(s.value()).append(" |\n");
        }
        return sb.toString();
    }

    static String errnos() {
        StringBuilder sb = new StringBuilder("| errno | number |\n|---|---|\n");
        for (Errno e : Errno.values()) {
            sb.append("| `").append(e.name()).append("` | ").append(e.number()).append(" |\n");
        }
        return sb.toString();
    }

    static List<String> blocks() {
        List<String> out = new ArrayList<>();
        for (Table t : Table.values()) {
            out.add(columns(t));
        }
        out.add(vocabularies());
        out.add(ioctls());
        out.add(states());
        out.add(errnos());
        return out;
    }

    @Test
    void everyColumnAndVocabularyIsDocumentedAsTheCodeDefinesIt() throws Exception {
        String doc = Files.readString(DOC);
        for (String block : blocks()) {
            assertThat(doc).contains(block);
        }
    }

    @Test
    void theHandWrittenExampleImports() throws Exception {
        String doc = Files.readString(DOC);
        int marker = doc.indexOf("<!-- jsonl-example -->");
        assertThat(marker).isPositive();
        int start = doc.indexOf("```jsonl\n", marker) + "```jsonl\n".length();
        String example = doc.substring(start, doc.indexOf("```", start));
        Path file = Files.writeString(tmp.resolve("example.jsonl"), example);
        JsonlImport.Result r = JsonlImport.toTrace(file, tmp.resolve("t"));
        assertThat(r.events()).isEqualTo(9);
        assertThat(r.dirtyRuns()).isEqualTo(2);
        assertThat(r.iterations()).isEqualTo(1);
        assertThat(TraceVerifier.verify(tmp.resolve("t")).problems()).isEmpty();
        List<RecordedEvent> events = RecordedTrace.readAllEvents(tmp.resolve("t"));
        assertThat(events.get(2).error()).hasValue(Errno.EINVAL);
    }

    @Test
    void theManifestExampleIsAManifestThisVersionReads() throws Exception {
        String doc = Files.readString(DOC);
        int marker = doc.indexOf("<!-- manifest-example -->");
        int start = doc.indexOf("```json\n", marker) + "```json\n".length();
        Path dir = Files.createDirectories(tmp.resolve("m"));
        Files.writeString(dir.resolve(TraceFormat.MANIFEST), doc.substring(start, doc.indexOf("```", start)));
        Manifest m = org.migtrace.trace.internal.ManifestIo.read(dir);
        assertThat(m.format()).isEqualTo(Manifest.Format.current());
        assertThat(m.tables()).hasSize(3);
    }

    public static void main(String[] args) {
        blocks().forEach(b -> System.out.println(b));
    }
}
