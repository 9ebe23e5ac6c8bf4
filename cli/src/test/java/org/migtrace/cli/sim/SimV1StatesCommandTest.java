package org.migtrace.cli.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.migtrace.cli.CliRun;

/**
 * {@code migtrace sim v1-states}: expected rows from the v1 header macros (5.15
 * include/uapi/linux/vfio.h) and the NDMA RFC (9 Dec 2021), written out by hand.
 */
class SimV1StatesCommandTest {

    private static List<String> csv(String... extra) {
        String[] args = new String[3 + extra.length];
        args[0] = "sim";
        args[1] = "v1-states";
        args[2] = "--format=csv";
        System.arraycopy(extra, 0, args, 3, extra.length);
        CliRun run = CliRun.of(args);
        assertThat(run.exit()).as(run.err()).isZero();
        return run.outLines();
    }

    @Test
    void csvHasAHeaderAndSixteenValuesInOrder() {
        List<String> lines = csv();
        assertThat(lines).hasSize(17);
        assertThat(lines.get(0)).isEqualTo("value,bits,valid,error");
        for (int v = 0; v < 16; v++) {
            assertThat(lines.get(v + 1)).startsWith(v + ",");
        }
    }

    @Test
    void mergedMacrosIgnoreBitThree() {
        assertThat(csv()).contains(
                "0,STOP,true,false",
                "3,RUNNING|SAVING,true,false",
                "6,SAVING|RESUMING,false,true",
                "14,SAVING|RESUMING|NDMA,false,true",
                "5,RUNNING|RESUMING,false,false",
                "12,RESUMING|NDMA,true,false");
    }

    @Test
    void ndmaRulesMakeFourteenInvalidButNoError() {
        assertThat(csv("--ndma")).contains(
                "0,STOP,true,false",
                "3,RUNNING|SAVING,true,false",
                "6,SAVING|RESUMING,false,true",
                "14,SAVING|RESUMING|NDMA,false,false",
                "8,NDMA,true,false",
                "13,RUNNING|RESUMING|NDMA,false,false");
    }

    @Test
    void jsonKeepsNumbersAndBooleans() throws Exception {
        CliRun run = CliRun.of("sim", "v1-states", "-f", "json", "--ndma");
        assertThat(run.exit()).isZero();
        JsonNode rows = new ObjectMapper().readTree(run.out());
        assertThat(rows.size()).isEqualTo(16);
        JsonNode fourteen = rows.get(14);
        assertThat(fourteen.get("value").isIntegralNumber()).isTrue();
        assertThat(fourteen.get("value").asInt()).isEqualTo(14);
        assertThat(fourteen.get("bits").asText()).isEqualTo("SAVING|RESUMING|NDMA");
        assertThat(fourteen.get("valid").isBoolean()).isTrue();
        assertThat(fourteen.get("valid").asBoolean()).isFalse();
        assertThat(fourteen.get("error").asBoolean()).isFalse();
    }

    @Test
    void tableRightAlignsTheValue() {
        List<String> lines = CliRun.of("sim", "v1-states").outLines();
        assertThat(lines).hasSize(18);
        assertThat(lines.get(0)).isEqualTo("value  bits                          valid  error");
        assertThat(lines.get(2)).isEqualTo("    0  STOP                          true   false");
        assertThat(lines.get(17)).isEqualTo("   15  RUNNING|SAVING|RESUMING|NDMA  false  false");
    }
}
