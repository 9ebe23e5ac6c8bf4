package org.migtrace.sim.run.internal;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.run.DeviceSummary;
import org.migtrace.sim.run.RunReport;
import org.migtrace.sim.run.Verdict;

/** Gathers a finished run into a {@link RunReport}. */
final class Report {
    private final MigrationRun run;
    private final Outcome outcome;

    Report(MigrationRun run, Outcome outcome) {
        this.run = run;
        this.outcome = outcome;
    }

    RunReport build() {
        long stopCopy = 0;
        for (VmmDevice d : run.source().devices()) {
            stopCopy += d.lastStopCopySize();
        }
        VerdictRules rules = new VerdictRules(run.rows(), run.ram().pages(), run.wire().bandwidth(),
                run.wire().downtimeLimitNs(), stopCopy);
        Verdict verdict = rules.verdict(outcome);
        long end = outcome.kind() == Outcome.Kind.BLOCKED ? run.startNs() : outcome.endNs();
        long lost = Math.max(outcome.lostPages(), run.uncaughtAtSyncs());
        String vmHost = outcome.kind() == Outcome.Kind.COMPLETED ? run.destination().host().name()
                : run.source().host().name();
        return new RunReport(run.scenario().name(), run.seed(), run.rows(), verdict, outcome.downtimeNs(),
                end - run.startNs(), run.wire().totalBytes(), run.ramBytes(), run.deviceBytes(), lost,
                run.tracking(), devices(), vmHost);
    }

    private List<DeviceSummary> devices() {
        List<DeviceSummary> out = new ArrayList<>();
        List<VmmDevice> src = run.source().devices();
        List<VmmDevice> dst = run.destination().devices();
        for (int i = 0; i < src.size(); i++) {
            VmmDevice d = src.get(i);
            out.add(new DeviceSummary(d.name(), d.spec().driver().label(), d.spec().protocol().label(), d.precopyBytes(),
                    d.stopCopyBytes(), d.stateName(), i < dst.size() ? dst.get(i).stateName() : ""));
        }
        return out;
    }
}
