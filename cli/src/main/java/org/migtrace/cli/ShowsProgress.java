package org.migtrace.cli;

import org.migtrace.trace.WorkProgress;
import picocli.CommandLine.Command;

/**
 * How a command says how far along it is: {@code @Mixin ShowsProgress progress;} and
 * {@code progress.hook()} handed to the work. When the progress line is drawn (a terminal),
 * {@link Progress} sets the hook before the command runs and the line shows a bar; otherwise the hook
 * stays {@link WorkProgress#NONE} and the work reports to no one.
 */
@Command // no options: picocli takes a class as a mixin only if it carries one of its annotations
public final class ShowsProgress {

    private WorkProgress hook = WorkProgress.NONE;

    /** Where the command's work reports how far it got. */
    public WorkProgress hook() {
        return hook;
    }

    void reportTo(WorkProgress to) {
        hook = to;
    }
}
