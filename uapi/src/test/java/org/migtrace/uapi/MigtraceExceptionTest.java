package org.migtrace.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.migtrace.uapi.MigtraceException.ErrorCode;

class MigtraceExceptionTest {

    @Test
    void badInputNamesFileAndLine() {
        MigtraceException e = MigtraceException.badInput("run1/events.jsonl", 42, "unknown ioctl 'FOO'");
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT);
        assertThat(e.getMessage()).isEqualTo("run1/events.jsonl:42: unknown ioctl 'FOO'");
    }

    @Test
    void badInputWithoutLinesNamesTheFileOnly() {
        assertThat(MigtraceException.badInput("run1/ioctls.arrow", 0, "bad magic").getMessage())
                .isEqualTo("run1/ioctls.arrow: bad magic");
    }
}
