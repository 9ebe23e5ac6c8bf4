package org.migtrace.cli;

import org.migtrace.uapi.MigtraceException;

/**
 * The process exit statuses, in one place. Scripts rely on them: 1 means the tool ran fine and
 * found something (divergences, violations), which is not an error of the tool.
 */
public enum ExitCode {
    OK(0),
    FINDINGS(1),
    USAGE(2),
    BAD_INPUT(3),
    INTERNAL(4);

    private final int status;

    ExitCode(int status) {
        this.status = status;
    }

    /** The number the process exits with. */
    public int status() {
        return status;
    }

    /** The status for an error a module reported. */
    public static ExitCode of(MigtraceException.ErrorCode code) {
        switch (code) {
            case USAGE:
                return USAGE;
            case BAD_INPUT:
                return BAD_INPUT;
            case INTERNAL:
                return INTERNAL;
            default:
                throw new IllegalArgumentException("unmapped error code " + code);
        }
    }
}
