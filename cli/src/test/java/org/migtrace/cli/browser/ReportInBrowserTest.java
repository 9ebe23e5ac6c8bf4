package org.migtrace.cli.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.cli.CliRun;

/**
 * The HTML report of {@code migtrace report}, opened in headless Chromium: its three charts (SVG
 * data URIs in {@code <img>}) decode and take room on the page, the page logs nothing to the
 * console, and its screenshot ({@code cli/target/browser/report.html.probed.html.png}) is not blank.
 *
 * <p>To see what the browser saw, a copy of the report gets a script that, on load, writes each
 * image's state into a hidden {@code <pre>}, which {@code --dump-dom} then prints. The report
 * itself has no script, so the copy logs nothing unless the report does. Skipped, saying why,
 * where Debian's chromium is not installed ({@code .ci/run} installs it).
 */
class ReportInBrowserTest {

    private static final Path WORK = Path.of("target", "browser").toAbsolutePath();
    private static final Pattern PROBE = Pattern.compile("<pre id=\"migtrace-probe\"[^>]*>([^<]*)</pre>");
    private static final String PROBE_SCRIPT = """
            <script>
            window.addEventListener("load", () => {
              const pre = document.createElement("pre");
              pre.id = "migtrace-probe";
              pre.hidden = true;
              pre.textContent = JSON.stringify([...document.images].map(i => ({
                alt: i.alt, complete: i.complete, naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight,
                width: i.getBoundingClientRect().width, height: i.getBoundingClientRect().height})));
              document.body.appendChild(pre);
            });
            </script>
            """;

    @TempDir
    static Path dir;

    static Path report;

    @BeforeAll
    static void writeReport() throws IOException {
        Optional<String> reason = Chromium.unavailable();
        reason.ifPresent(r -> System.err.println("ReportInBrowserTest skipped: " + r));
        Assumptions.assumeTrue(reason.isEmpty(), () -> "no browser here: " + reason.orElseThrow());
        Path trace = dir.resolve("vf-no-dirty-tracking");
        CliRun recorded = CliRun.of("record", "--scenario", "vf-no-dirty-tracking", "-o", trace.toString());
        assertThat(recorded.exit()).as(recorded.err()).isZero();
        Files.createDirectories(WORK);
        report = WORK.resolve("report.html");
        CliRun run = CliRun.of("report", trace.toString(), "-o", report.toString());
        assertThat(run.exit()).as(run.err()).isZero();
    }

    @Test
    void theReportsChartsRenderAndThePageLogsNothing() throws Exception {
        Chromium.Page page = Chromium.load(probed(report), WORK);

        JsonNode images = probe(page);
        assertThat(images).extracting(i -> i.get("alt").asText()).containsExactly("pending", "dirty-rate", "device-states");
        for (JsonNode image : images) {
            assertThat(image.get("complete").asBoolean()).as("%s loaded", image.get("alt")).isTrue();
            assertThat(image.get("naturalWidth").asInt()).as("%s decoded", image.get("alt")).isPositive();
            assertThat(image.get("naturalHeight").asInt()).as("%s decoded", image.get("alt")).isPositive();
            assertThat(image.get("width").asDouble()).as("%s on the page", image.get("alt")).isPositive();
            assertThat(image.get("height").asDouble()).as("%s on the page", image.get("alt")).isPositive();
        }
        assertThat(page.console()).as("console messages").isEmpty();
        assertThat(Chromium.blank(page.screenshot())).as("screenshot %s blank", page.screenshot()).isFalse();
    }

    /** The checks above can fail: a chart that does not decode, a console error, a blank page. */
    @Test
    void aBrokenChartAConsoleErrorAndABlankPageAreEachCaught() throws Exception {
        Path broken = WORK.resolve("broken.html");
        Files.writeString(broken, "<!DOCTYPE html><html><body><img alt=\"pending\" src=\"data:image/svg+xml;base64,PHN2Zw==\">"
                + "<script>console.error('chart data missing')</script></body></html>", StandardCharsets.UTF_8);
        Chromium.Page page = Chromium.load(probed(broken), WORK);

        assertThat(probe(page).get(0).get("naturalWidth").asInt()).isZero();
        assertThat(page.console()).singleElement().asString().contains("chart data missing");
        assertThat(Chromium.blank(page.screenshot())).isTrue();
    }

    /** A copy of {@code html} with the probe script before {@code </body>}. */
    private static Path probed(Path html) throws IOException {
        String page = Files.readString(html, StandardCharsets.UTF_8);
        int end = page.lastIndexOf("</body>");
        assertThat(end).as("%s has a </body>", html).isNotNegative();
        Path copy = html.resolveSibling(html.getFileName() + ".probed.html");
        Files.writeString(copy, page.substring(0, end) + PROBE_SCRIPT + page.substring(end), StandardCharsets.UTF_8);
        return copy;
    }

    private static JsonNode probe(Chromium.Page page) throws IOException {
        Matcher m = PROBE.matcher(page.dom());
        assertThat(m.find()).as("the probe ran; chromium said:%n%s", page.stderr()).isTrue();
        return new ObjectMapper().readTree(m.group(1).replace("&quot;", "\"").replace("&amp;", "&")
                .replace("&lt;", "<").replace("&gt;", ">"));
    }
}
