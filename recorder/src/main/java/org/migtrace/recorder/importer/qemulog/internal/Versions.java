package org.migtrace.recorder.importer.qemulog.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the formats in a log say about the QEMU that printed it: the releases every form seen was
 * printed by. Forms every release printed say nothing; forms of releases that cannot have printed
 * the same log together (a patched or backported build) leave the version unknown.
 */
final class Versions {
    private final Set<EventDecl> seen = new LinkedHashSet<>();
    private final List<EventDecl> evidence = new ArrayList<>();
    private Releases allowed = Releases.ALL;
    private EventDecl conflict;

    void saw(EventDecl form) {
        if (!seen.add(form) || !form.releases().narrows()) {
            return;
        }
        evidence.add(form);
        Releases next = allowed.intersect(form.releases());
        if (next.isEmpty()) {
            if (conflict == null) {
                conflict = form;
            }
            return;
        }
        allowed = next;
    }

    /** The QEMU version for the manifest, or null when the log does not tell (or contradicts itself). */
    String qemu() {
        return conflict != null || evidence.isEmpty() ? null : allowed.label() + " (inferred)";
    }

    /** Why: the formats that set the range's ends (or the one that contradicts the others). */
    String note() {
        if (evidence.isEmpty()) {
            return null;
        }
        if (conflict != null) {
            return "qemu: unknown: the log has trace-event formats no single release printed: " + conflict.name()
                    + " (" + conflict.releases().label() + ") with others allowing only " + allowed.label();
        }
        List<String> forms = new ArrayList<>();
        if (allowed.first() != Releases.ALL.first()) {
            cite(forms, evidence.stream().filter(d -> d.releases().first() == allowed.first()).findFirst().orElseThrow());
        }
        if (allowed.last() != Releases.ALL.last()) {
            cite(forms, evidence.stream().filter(d -> d.releases().last() == allowed.last()).findFirst().orElseThrow());
        }
        return "qemu: " + allowed.label() + ", inferred from the trace-event formats of " + String.join(" and ", forms)
                + (evidence.size() > forms.size() ? " (" + evidence.size() + " formats seen agree)" : "");
    }

    private static void cite(List<String> forms, EventDecl d) {
        String c = d.name() + " (" + d.releases().label() + ")";
        if (!forms.contains(c)) {
            forms.add(c);
        }
    }
}
