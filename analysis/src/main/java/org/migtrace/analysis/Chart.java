package org.migtrace.analysis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.migtrace.uapi.MigtraceException;

/**
 * The charts, each drawn with XChart from the rows of its named query (questions/chart_*.sql),
 * never from the trace files: what {@code migtrace plot} writes and {@code migtrace report} embeds.
 */
public enum Chart {
    /** Pending bytes vs the switchover threshold per iteration (with the devices' stop-copy size). */
    PENDING("pending", Question.CHART_PENDING),
    /** Pages written per second over time: vCPUs vs each device's DMA. */
    DIRTY_RATE("dirty-rate", Question.CHART_DIRTY_RATE),
    /** Each device's migration state over time. */
    DEVICE_STATES("device-states", Question.CHART_DEVICE_STATES);

    /** Image formats the charts are written in. */
    public enum Format {
        PNG, SVG;

        /** The format a file name asks for by its extension; empty when it names neither. */
        public static java.util.Optional<Format> of(String fileName) {
            String f = fileName.toLowerCase(Locale.ROOT);
            return f.endsWith(".png") ? java.util.Optional.of(PNG)
                    : f.endsWith(".svg") ? java.util.Optional.of(SVG) : java.util.Optional.empty();
        }
    }

    static {
        // Charts are drawn off-screen; no display is needed or wanted.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private final String name;
    private final Question question;

    Chart(String name, Question question) {
        this.name = name;
        this.question = question;
    }

    /** The name {@code --chart} takes. */
    public String chartName() {
        return name;
    }

    public static java.util.Optional<Chart> named(String name) {
        for (Chart c : values()) {
            if (c.name.equals(name)) {
                return java.util.Optional.of(c);
            }
        }
        return java.util.Optional.empty();
    }

    /** The query rows this chart draws. */
    public QueryResult rows(TraceDatabase db) throws MigtraceException {
        db.requireTrace();
        return db.query(question.sql());
    }

    /** Draws the chart of {@code db}'s trace and encodes it. */
    public byte[] render(TraceDatabase db, Format format) throws MigtraceException {
        XYChart chart = draw(rows(db));
        try {
            if (format == Format.PNG) {
                return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            return out.toByteArray();
        } catch (IOException e) {
            throw TraceDatabase.internal("drawing chart " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** The chart for query rows (the columns of this chart's question). */
    XYChart draw(QueryResult r) {
        return switch (this) {
            case PENDING -> pending(r);
            case DIRTY_RATE -> lines(r, "Dirty rate: pages written per second", "time (s)", "pages/s", "t_s", "pages_per_s");
            case DEVICE_STATES -> states(r);
        };
    }

    private static XYChart base(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(900).height(420).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        c.getStyler().setYAxisDecimalPattern("#,##0.##"); // 120,000 pages/s, not 1.2E5
        return c;
    }

    private static XYChart pending(QueryResult r) {
        XYChart c = base("Pending vs threshold per iteration", "iteration", "MiB");
        for (String col : List.of("pending_mib", "threshold_mib", "device_stop_copy_mib", "ram_remaining_mib")) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < r.rows().size(); i++) {
                xs.add(num(r.get(i, "iteration")));
                ys.add(num(r.get(i, col)));
            }
            if (!xs.isEmpty()) {
                c.addSeries(col.replace("_mib", "").replace('_', ' '), xs, ys).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        empty(c, r);
        return c;
    }

    /** One line per value of column {@code series}. */
    private static XYChart lines(QueryResult r, String title, String x, String y, String xCol, String yCol) {
        XYChart c = base(title, x, y);
        Map<String, List<double[]>> bySeries = new TreeMap<>();
        for (int i = 0; i < r.rows().size(); i++) {
            bySeries.computeIfAbsent(String.valueOf(r.get(i, "series")), k -> new ArrayList<>())
                    .add(new double[] {num(r.get(i, xCol)), num(r.get(i, yCol))});
        }
        bySeries.forEach((name, points) -> {
            XYSeries s = c.addSeries(name, points.stream().map(p -> p[0]).toList(), points.stream().map(p -> p[1]).toList());
            s.setMarker(SeriesMarkers.NONE);
        });
        empty(c, r);
        return c;
    }

    private static XYChart states(QueryResult r) {
        XYChart c = lines(r, "Device states over time", "time (s)", "state", "t_s", "level");
        for (XYSeries s : c.getSeriesMap().values()) {
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        Map<Long, String> labels = new TreeMap<>();
        for (int i = 0; i < r.rows().size(); i++) {
            labels.put(((Number) r.get(i, "level")).longValue(), String.valueOf(r.get(i, "state")));
        }
        // The levels are named in the axis title: XChart's custom tick formatter can loop forever
        // in its tick search (3.8.8), so the axis keeps plain numbers.
        StringBuilder title = new StringBuilder("Device states over time (");
        labels.forEach((level, state) -> title.append(title.charAt(title.length() - 1) == '(' ? "" : ", ")
                .append(level).append(' ').append(state));
        c.setTitle(title.append(')').toString());
        c.setYAxisTitle("state (levels in the title)");
        c.getStyler().setYAxisMin(-0.5);
        c.getStyler().setYAxisMax(12.5);
        c.getStyler().setYAxisDecimalPattern("0");
        return c;
    }

    /** XChart refuses to draw a chart without series: an empty one says so instead. */
    private static void empty(XYChart c, QueryResult r) {
        if (c.getSeriesMap().isEmpty()) {
            c.setTitle(c.getTitle() + " (no data in this trace)");
            c.addSeries("none", new double[] {0}, new double[] {0}).setMarker(SeriesMarkers.NONE);
        }
    }

    private static double num(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }
}
