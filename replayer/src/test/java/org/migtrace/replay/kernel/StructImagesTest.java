package org.migtrace.replay.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.migtrace.uapi.StructLayout;

/** A struct laid out from its args, and again from the kept image: the same bytes, whatever layout asks. */
class StructImagesTest {
    private static final StructLayout SMALL = StructLayout.struct("small").u32("argsz").u32("flags").build();
    private static final StructLayout LARGE = StructLayout.struct("large").u32("flags").u32("argsz").u64("size")
            .build();

    @Test
    void oneArgsNodeLaidOutAsTwoStructsGivesEachItsOwnBytes() {
        JsonNode in = Json.parse("{\"argsz\":16,\"flags\":3,\"size\":\"0x1000\"}");
        StructImages images = new StructImages();
        for (int round = 0; round < 2; round++) { // the second round comes from the images
            byte[] small = new byte[12];
            images.fill(SMALL, in, small, 4);
            assertThat(le(small).getInt(4)).isEqualTo(16);
            assertThat(le(small).getInt(8)).isEqualTo(3);

            byte[] large = new byte[LARGE.size()];
            images.fill(LARGE, in, large, 0);
            assertThat(le(large).getInt(0)).isEqualTo(3);
            assertThat(le(large).getInt(4)).isEqualTo(16);
            assertThat(le(large).getLong(8)).isEqualTo(0x1000);
        }
    }

    @Test
    void aMemberTheArgsLackIsZero() {
        StructImages images = new StructImages();
        byte[] b = new byte[LARGE.size()];
        images.fill(LARGE, Json.parse("{\"argsz\":16}"), b, 0);
        assertThat(le(b).getInt(0)).isZero();
        assertThat(le(b).getInt(4)).isEqualTo(16);
        assertThat(le(b).getLong(8)).isZero();
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }
}
