package org.migtrace.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Charts are drawn from their queries' rows; each renders for a recorded run, as PNG and SVG. */
class ChartTest {

    @Test
    @Timeout(120)
    void everyChartRendersAsPngAndSvg() throws Exception {
        try (TraceDatabase db = TraceDatabase.load(SampleTraces.of("two-devices-p2p"))) {
            for (Chart c : Chart.values()) {
                assertThat(c.rows(db).rows()).as(c.chartName()).isNotEmpty();
                byte[] png = c.render(db, Chart.Format.PNG);
                assertThat(png).as(c.chartName()).startsWith(0x89, 'P', 'N', 'G');
                String svg = new String(c.render(db, Chart.Format.SVG), StandardCharsets.UTF_8);
                assertThat(svg).as(c.chartName()).contains("<svg");
            }
        }
    }

    @Test
    void theStateTimelineHasEveryStateChangeOfEveryDevice() throws Exception {
        try (TraceDatabase db = TraceDatabase.load(SampleTraces.of("two-devices-p2p"))) {
            QueryResult rows = Chart.DEVICE_STATES.rows(db);
            QueryResult changes = db.query("SELECT count(*) FROM events WHERE kind = 'state'");
            QueryResult devices = db.query("SELECT count(DISTINCT (host, device)) FROM events WHERE kind = 'state'");
            // one point per state begun (changes + each device's first state) and one at the end
            long expected = (Long) changes.rows().get(0).get(0) + 2 * (Long) devices.rows().get(0).get(0);
            assertThat((long) rows.rows().size()).isEqualTo(expected);
            assertThat(rows.values("state")).contains("PRE_COPY_P2P", "STOP_COPY", "RESUMING");
        }
    }

    @Test
    void theReportIsOnePageWithItsChartsInside() throws Exception {
        try (TraceDatabase db = TraceDatabase.load(SampleTraces.of("nic-converges"))) {
            String html = HtmlReport.of(db);
            assertThat(html).startsWith("<!DOCTYPE html>").contains("src: converged at iteration")
                    .contains("<h2>Iterations</h2>").contains("none (" + Rule.catalog().size() + " rules checked)");
            assertThat(html.split("src=\"data:image/svg\\+xml;base64,", -1)).hasSize(Chart.values().length + 1);
            assertThat(html).doesNotContain("src=\"http").doesNotContain("href=\"http");
        }
    }

    @Test
    void pngOrSvgIsChosenByTheFileName() {
        assertThat(Chart.Format.of("a.PNG")).contains(Chart.Format.PNG);
        assertThat(Chart.Format.of("b.svg")).contains(Chart.Format.SVG);
        assertThat(Chart.Format.of("c.jpg")).isEmpty();
    }
}
