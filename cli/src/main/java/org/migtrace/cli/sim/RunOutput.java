package org.migtrace.cli.sim;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.migtrace.cli.output.Column;
import org.migtrace.cli.output.OutputFormat;
import org.migtrace.cli.output.Table;
import org.migtrace.sim.IterationStats;
import org.migtrace.sim.run.DeviceSummary;
import org.migtrace.sim.run.RunReport;
import org.migtrace.sim.run.Units;
import org.migtrace.sim.run.Verdict;

/**
 * How {@code sim run} prints a {@link RunReport}: {@code table} (and {@code markdown}), the
 * iterations with human units and the verdict below; {@code csv}, the iterations in raw units only; {@code json}, one document
 * with the iterations (raw units), the verdict and the totals.
 */
public final class RunOutput {
    private RunOutput() {
    }

    static void print(RunReport r, OutputFormat format, PrintWriter out) {
        switch (format) {
            case TABLE:
            case MARKDOWN:
                format.write(human(r), out);
                out.println();
                summary(r, out);
                break;
            case CSV:
                OutputFormat.CSV.write(raw(r), out);
                break;
            default:
                OutputFormat.writeJson(document(r), out);
                break;
        }
        out.flush();
    }

    /** The iterations in raw units: what CSV prints and what JSON's {@code iterations} holds. */
    static Table raw(RunReport r) {
        Table.Builder t = Table.builder(Column.right("iteration"), Column.right("time_ns"), Column.right("duration_ns"),
                Column.right("dirty_pages_cpu"), Column.right("dirty_pages_device"), Column.right("new_dirty_pages"),
                Column.right("bytes_sent"), Column.right("device_bytes_sent"), Column.right("bandwidth"),
                Column.right("pending_bytes"), Column.right("device_pending_bytes"), Column.right("threshold_bytes"),
                Column.left("decision"));
        for (IterationStats s : r.iterations()) {
            t.row(s.iteration(), s.timeNs(), s.durationNs(), s.dirtyPagesCpu(), s.dirtyPagesDevice(), s.newDirtyPages(),
                    s.bytesSent(), s.deviceBytesSent(), s.bandwidth(), s.pendingBytes(), s.devicePendingBytes(),
                    s.thresholdBytes(), s.decision().label());
        }
        return t.build();
    }

    private static Table human(RunReport r) {
        Table.Builder t = Table.builder(Column.right("iter"), Column.right("time"), Column.right("dirty cpu"),
                Column.right("dirty dev"), Column.right("sent"), Column.right("bandwidth"), Column.right("pending"),
                Column.right("threshold"), Column.left("decision"));
        for (IterationStats s : r.iterations()) {
            t.row(s.iteration(), Units.seconds(s.timeNs()), s.dirtyPagesCpu(), s.dirtyPagesDevice(),
                    Units.bytes(s.bytesSent()), Units.rate(s.bandwidth()), Units.bytes(s.pendingBytes()),
                    Units.bytes(s.thresholdBytes()), s.decision().label());
        }
        return t.build();
    }

    private static void summary(RunReport r, PrintWriter out) {
        Verdict v = r.verdict();
        out.println(verdictLine(v));
        out.println("scenario " + r.scenario() + ", seed " + r.seed() + "; tracking " + String.join(", ", r.tracking())
                + "; sent " + Units.bytes(r.totalBytes()) + " (RAM " + Units.bytes(r.ramBytes()) + ", devices "
                + Units.bytes(r.deviceBytes()) + ") in " + Units.seconds(r.durationNs()) + "; lost pages "
                + r.lostPages() + "; guest on " + r.vmHost());
        for (DeviceSummary d : r.devices()) {
            out.println("device " + d.name() + " (" + d.driver() + ", " + d.protocol() + "): pre-copy "
                    + Units.bytes(d.precopyBytes()) + ", stop-copy " + Units.bytes(d.stopCopyBytes()) + "; source "
                    + d.sourceState() + ", destination " + d.destinationState());
        }
        out.println("rerun: migtrace sim run --scenario " + r.scenario() + " --seed " + r.seed());
    }

    private static Map<String, Object> document(RunReport r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("scenario", r.scenario());
        doc.put("seed", r.seed());
        doc.put("iterations", raw(r).records());
        doc.put("verdict", verdict(r.verdict()));
        doc.put("downtime_ns", r.downtimeNs());
        doc.put("duration_ns", r.durationNs());
        doc.put("total_bytes", r.totalBytes());
        doc.put("ram_bytes", r.ramBytes());
        doc.put("device_bytes", r.deviceBytes());
        doc.put("lost_pages", r.lostPages());
        doc.put("tracking", r.tracking());
        List<Map<String, Object>> devices = new ArrayList<>();
        for (DeviceSummary d : r.devices()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", d.name());
            m.put("driver", d.driver());
            m.put("protocol", d.protocol());
            m.put("precopy_bytes", d.precopyBytes());
            m.put("stop_copy_bytes", d.stopCopyBytes());
            m.put("source_state", d.sourceState());
            m.put("destination_state", d.destinationState());
            devices.add(m);
        }
        doc.put("devices", devices);
        doc.put("vm_host", r.vmHost());
        return doc;
    }

    private static Map<String, Object> verdict(Verdict v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("converged", v.converged());
        m.put("iteration", v.iteration());
        m.put("reason", v.reason().label());
        m.put("message", v.message());
        m.put("downtime_ns", v.downtimeNs());
        m.put("needed_bandwidth", v.neededBandwidth());
        m.put("needed_downtime_ns", v.neededDowntimeNs());
        m.put("device", v.device());
        m.put("operation", v.operation());
        m.put("errno", v.errno());
        return m;
    }

    /**
     * {@code verdict: converged at iteration 3: ...} or {@code verdict (dirty-rate): did not converge: ...}:
     * the message of a converged run starts with "converged at iteration k"; the others name their reason.
     */
    public static String verdictLine(Verdict v) {
        return (v.converged() ? "verdict: " : "verdict (" + v.reason().label() + "): ") + v.message();
    }
}
