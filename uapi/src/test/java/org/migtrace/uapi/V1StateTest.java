package org.migtrace.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class V1StateTest {

    @Test
    void mergedMacrosClassifyTheLowThreeBits() {
        // RESUMING valid only alone; 5, 6, 7 invalid; bits >= 3 ignored
        boolean[] valid = {true, true, true, true, true, false, false, false};
        for (int v = 0; v < 16; v++) {
            assertThat(V1State.valid(v, V1State.Rules.MERGED)).as("0x%x", v).isEqualTo(valid[v & 7]);
            assertThat(V1State.isError(v, V1State.Rules.MERGED)).as("0x%x", v).isEqualTo((v & 7) == 6);
        }
    }

    @Test
    void sixIsBothInvalidAndError() {
        assertThat(V1State.valid(6, V1State.Rules.MERGED)).isFalse();
        assertThat(V1State.isError(6, V1State.Rules.MERGED)).isTrue();
    }

    @Test
    void ndmaRfcMakesFourteenInvalidButNotError() {
        assertThat(V1State.isError(0xE, V1State.Rules.MERGED)).isTrue();
        assertThat(V1State.isError(0xE, V1State.Rules.NDMA_RFC)).isFalse();
        assertThat(V1State.valid(0xE, V1State.Rules.NDMA_RFC)).isFalse();
        assertThat(V1State.valid(V1State.NDMA | V1State.SAVING, V1State.Rules.NDMA_RFC)).isTrue();
        assertThat(V1State.valid(V1State.RESUMING | V1State.RUNNING, V1State.Rules.NDMA_RFC)).isFalse();
    }

    @Test
    void setErrorKeepsBitsOutsideTheMask() {
        assertThat(V1State.setError(0x13, V1State.Rules.MERGED)).isEqualTo(0x16);
        assertThat(V1State.setError(0x1B, V1State.Rules.NDMA_RFC)).isEqualTo(0x16); // NDMA cleared
    }

    @Test
    void bitsAreNamed() {
        assertThat(V1State.bits(0)).isEqualTo("STOP");
        assertThat(V1State.bits(3)).isEqualTo("RUNNING|SAVING");
        assertThat(V1State.bits(0xA)).isEqualTo("SAVING|NDMA");
    }
}
