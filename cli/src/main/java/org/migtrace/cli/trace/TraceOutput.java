package org.migtrace.cli.trace;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.migtrace.cli.output.Column;
import org.migtrace.cli.output.OutputFormat;
import org.migtrace.cli.output.Table;
import org.migtrace.sim.run.Units;
import org.migtrace.trace.Manifest;
import org.migtrace.trace.TableStatus;
import org.migtrace.trace.TraceSummary;

/**
 * How {@code migtrace info} prints a {@link TraceSummary}: {@code table}, a few lines about the
 * trace then the events per op; {@code csv}, the events per op only; {@code json}, everything.
 */
final class TraceOutput {
    private TraceOutput() {
    }

    static void info(TraceSummary s, OutputFormat format, PrintWriter out) {
        switch (format) {
            case JSON:
                OutputFormat.writeJson(document(s), out);
                break;
            case CSV:
                format.write(ops(s), out);
                break;
            default:
                header(s, out);
                out.println();
                format.write(ops(s), out);
                if (!s.errnos().isEmpty()) {
                    out.println();
                    format.write(errnos(s), out);
                }
        }
        out.flush();
    }

    private static void header(TraceSummary s, PrintWriter out) {
        Manifest.Source src = s.source();
        out.println("trace " + s.dir() + " (migtrace-trace " + s.formatVersion() + "): " + src.kind() + ", by "
                + src.tool() + (src.command() == null ? "" : ": " + src.command()));
        if (s.scenario() != null) {
            out.println("scenario " + s.scenario().name() + ", seed " + s.scenario().seed());
        }
        List<String> hosts = new ArrayList<>();
        for (Manifest.HostInfo h : s.hosts()) {
            hosts.add((h.name() == null ? "(unnamed)" : h.name())
                    + (h.kernel() == null ? "" : " (kernel " + h.kernel() + ")")
                    + (h.qemu() == null ? "" : " (QEMU " + h.qemu() + ")"));
        }
        out.println("hosts " + (hosts.isEmpty() ? "not named" : String.join(", ", hosts)) + (s.guestMemory() == null ? "" : "; guest "
                + Units.bytes(s.guestMemory())) + (s.pageSize() == null ? "" : ", page " + s.pageSize() + " B"));
        for (Manifest.DeviceInfo d : s.devices()) {
            out.println(device(d));
        }
        out.println("events " + s.events() + ", dirty runs " + s.dirtyRuns() + pages(s.dirtyPages())
                + ", iterations " + s.iterations() + (s.durationNs() == null ? ""
                : "; time span " + Units.seconds(s.durationNs())));
        out.println((s.captureComplete() ? "capture complete" : "capture did not finish (the trace holds what was "
                + "written before it stopped)") + "; lost events " + s.lostEvents()
                + (s.lostInMarkers() != s.lostEvents() ? " (" + s.lostInMarkers() + " in lost markers)" : ""));
        for (TableStatus t : s.tables()) {
            if (!t.finished()) {
                out.println("table " + t.file() + ": " + t.recovery());
            }
        }
        for (String note : s.notes()) {
            out.println("note: " + note);
        }
        for (String w : warnings(s)) {
            out.println("warning: " + w);
        }
    }

    /** {@code device src 0000:3b:00.1: mlx5-vf, v2 STOP_COPY|PRE_COPY, group 12, type1, tracking dma-logging}; unknowns left out. */
    private static String device(Manifest.DeviceInfo d) {
        List<String> parts = new ArrayList<>();
        if (d.driver() != null) {
            parts.add(d.driver());
        }
        parts.add(d.protocol() + (d.features().isEmpty() ? "" : " " + String.join("|", d.features())));
        if (d.group() != null) {
            parts.add("group " + d.group());
        }
        if (d.iommuBackend() != null) {
            parts.add(d.iommuBackend());
        }
        if (d.dirtyTracking() != null) {
            parts.add("tracking " + d.dirtyTracking());
        }
        return "device " + (d.host() == null ? "" : d.host() + " ") + d.name() + ": " + String.join(", ", parts);
    }

    /** What every analysis of this trace should warn about: lost events, the capture tool's diagnostics. */
    static List<String> warnings(TraceSummary s) {
        List<String> out = new ArrayList<>();
        if (s.lostEvents() > 0) {
            out.add(lostWarning(s.lostEvents()));
        }
        long diagnostics = 0;
        for (TraceSummary.OpCount c : s.ops()) {
            if ("diagnostic".equals(c.kind())) {
                diagnostics += c.count();
            }
        }
        if (diagnostics > 0) {
            out.add(diagnostics + " diagnostic" + (diagnostics == 1 ? "" : "s") + " of the capture tool (kind diagnostic: "
                    + "its errors or warnings): rows near them may lack data");
        }
        return out;
    }

    /** The warning for a trace whose capture lost events. */
    static String lostWarning(long lost) {
        return "the capture lost " + lost + " event" + (lost == 1 ? "" : "s") + " (the manifest's lost_events; "
                + "kind lost rows mark where): counts, orders and dirty pages around them are incomplete";
    }

    private static String pages(Map<String, Long> bySource) {
        if (bySource.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        bySource.forEach((source, n) -> parts.add(source + " " + n));
        return " (pages: " + String.join(", ", parts) + ")";
    }

    private static Table ops(TraceSummary s) {
        Table.Builder t = Table.builder(Column.left("kind"), Column.left("op"), Column.right("count"),
                Column.right("failed"));
        for (TraceSummary.OpCount c : s.ops()) {
            t.row(c.kind(), c.op(), c.count(), c.failed());
        }
        return t.build();
    }

    private static Table errnos(TraceSummary s) {
        Table.Builder t = Table.builder(Column.left("errno"), Column.right("number"), Column.right("count"));
        for (TraceSummary.ErrnoCount e : s.errnos()) {
            t.row(e.errno(), e.number() == null ? "" : String.valueOf(e.number()), e.count());
        }
        return t.build();
    }

    private static Map<String, Object> document(TraceSummary s) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("trace", s.dir().toString());
        doc.put("format_version", s.formatVersion());
        Map<String, Object> source = new LinkedHashMap<>(); // unknown tool or command: JSON null
        source.put("kind", s.source().kind());
        source.put("tool", s.source().tool());
        source.put("command", s.source().command());
        doc.put("source", source);
        List<Object> hosts = new ArrayList<>();
        for (Manifest.HostInfo h : s.hosts()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", h.name());
            m.put("kernel", h.kernel());
            m.put("qemu", h.qemu());
            hosts.add(m);
        }
        doc.put("hosts", hosts);
        List<Object> devices = new ArrayList<>();
        for (Manifest.DeviceInfo d : s.devices()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", d.host());
            m.put("name", d.name());
            m.put("driver", d.driver());
            m.put("protocol", d.protocol());
            m.put("features", d.features());
            m.put("group", d.group());
            m.put("iommu_backend", d.iommuBackend());
            m.put("dirty_tracking", d.dirtyTracking());
            devices.add(m);
        }
        doc.put("devices", devices);
        if (s.scenario() != null) {
            doc.put("scenario", Map.of("name", s.scenario().name(), "seed", s.scenario().seed()));
        }
        doc.put("page_size", s.pageSize());
        doc.put("guest_memory", s.guestMemory());
        doc.put("first_ts_ns", s.firstTsNs());
        doc.put("last_ts_ns", s.lastTsNs());
        doc.put("events", s.events());
        doc.put("dirty_runs", s.dirtyRuns());
        doc.put("dirty_pages", s.dirtyPages());
        doc.put("iterations", s.iterations());
        doc.put("ops", ops(s).records());
        doc.put("errnos", errnos(s).records());
        doc.put("lost_events", s.lostEvents());
        doc.put("warnings", warnings(s));
        doc.put("capture_complete", s.captureComplete());
        doc.put("notes", s.notes());
        return doc;
    }
}
