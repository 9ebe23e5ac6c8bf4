package org.migtrace.cli;

import org.migtrace.trace.WorkProgress;

/**
 * A command that can say how far along it is. When the progress line is drawn (a terminal),
 * {@link Progress} hands the command the hook its work reports into before it runs; otherwise the
 * command keeps {@link WorkProgress#NONE} and reports to no one.
 */
public interface ShowsProgress {

    /** Where the command's work reports how far it got. */
    void progressTo(WorkProgress progress);
}
