package org.migtrace.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.replay.variant.NoClearReport;

/**
 * The same trace and target give the same bytes: twice in one JVM, and equal to digests taken once
 * and kept here, so that a build on JDK 17 and one on JDK 25 check the very same bytes (both pass:
 * {@code JAVA_HOME=<jdk25> mvn -pl replayer -am verify}).
 * The digests change only when the sample trace, the model or the output format changes on purpose.
 */
class DeterminismTest {
    /** SHA-256 of divergences.arrow for nic-converges replayed on no-clear-report. */
    static final String TABLE_SHA256 = "23c37c2e78b812242eaeff6ca05a79154cb274e5e72f6abbe0407e94c5aa5e4c";
    /** SHA-256 of the JSON summary of the same replay. */
    static final String JSON_SHA256 = "af830b6f3ccf5dfa322ba86835704313c9de9560c6cd5ce9be2da4fb05cec138";

    @TempDir
    Path dir;

    @Test
    void twoReplaysWriteTheSameBytesAndTheBytesOfRecord() throws Exception {
        String[] first = replay(dir.resolve("a"));
        String[] second = replay(dir.resolve("b"));
        assertThat(second).isEqualTo(first);
        assertThat(first[0]).as("divergences.arrow digest on " + Runtime.version()).isEqualTo(TABLE_SHA256);
        assertThat(first[1]).as("summary JSON digest on " + Runtime.version()).isEqualTo(JSON_SHA256);
    }

    private static String[] replay(Path out) throws Exception {
        ReplayResult r = Replayer.replay(SampleTraces.of("nic-converges"), new NoClearReport(), null);
        Path table = DivergenceTable.write(out, r.divergences());
        ReplayResult anonymous = new ReplayResult("nic-converges", r.origin(), r.target(), r.against(), r.stimuli(), r.compared(),
                r.derived(), r.lostEvents(), r.divergences(), r.context());
        byte[] json = new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(ReplaySummary.json(anonymous));
        return new String[] {sha256(Files.readAllBytes(table)), sha256(json)};
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
