package org.migtrace.recorder.importer.qemulog;

import java.io.IOException;
import org.migtrace.recorder.importer.ImportOptions;
import org.migtrace.recorder.importer.Imported;
import org.migtrace.recorder.importer.Importer;
import org.migtrace.recorder.importer.InputSource;
import org.migtrace.recorder.importer.qemulog.internal.Catalog;
import org.migtrace.recorder.importer.qemulog.internal.QemuLogReader;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.NewTrace;

/**
 * {@code qemu-log}: the output of QEMU's {@code log} trace backend ({@code -trace PATTERN} with
 * {@code -D FILE}, or standard error), in the line shapes of its three eras: {@code pid@sec.usec:}
 * prefixes ({@code scripts/tracetool/backend/log.py}; always before 6.0, with {@code -msg
 * timestamp=on} until 10.0/10.1), no prefix, and the ISO-8601 UTC prefix {@code qemu_log()} prints
 * since July 2025 ({@code util/log.c}). Each event is read with the formats of its
 * {@code trace-events} declaration in QEMU 8.0 to 10.x and the VFIO development tree: the
 * {@code vfio_*} migration and dirty-tracking events, the {@code migration/} events of the
 * switchover machinery, {@code vmstate_downtime_*}, and IOMMUFD dirty tracking. Every event becomes
 * a {@code tracepoint} row; the migration's steps and its iterations rows are derived from them.
 * Lines it does not know are counted per name, never an error. What each event becomes:
 * docs/trace-format.md, "QEMU trace logs".
 */
public final class QemuLogImporter implements Importer {

    @Override
    public String name() {
        return "qemu-log";
    }

    @Override
    public String describe() {
        return "QEMU's log trace backend (-trace with -D FILE, any era's line prefix): VFIO migration and dirty"
                + " tracking, migration and vmstate_downtime events of QEMU 8.0 to 10.x";
    }

    @Override
    public Imported read(InputSource input, ImportOptions options, NewTrace.SinkFactory sinks)
            throws BadTraceException, IOException {
        return new QemuLogReader(input, options, Catalog.builtIn()).run(sinks);
    }
}
