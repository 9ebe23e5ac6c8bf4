package org.migtrace.sim.internal.vendor;

import java.io.ByteArrayOutputStream;
import org.migtrace.sim.vendor.VendorModel;

/** Valid destination streams for each model, built from the formats' own definitions. */
final class TestStreams {
    private TestStreams() {
    }

    /** A complete stream the device in {@code rig} accepts. */
    static byte[] valid(Rig rig, VendorModel model) {
        switch (model) {
            case MTTY:
                return mtty(1);
            case HISI_ACC_VF:
                return hisi(0xa256, HisiAccVfDevice.DATA_SIZE);
            default:
                return records(model == VendorModel.MLX5_VF ? 0x101e : 0x2236, StateWalkTest.S, true);
        }
    }

    /** A {@link RecordFormat} stream: size record, one full image of {@code bytes}, LAST if {@code last}. */
    static byte[] records(int modelId, long bytes, boolean last) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(RecordFormat.header(modelId, RecordFormat.TAG_SIZE, 0, 8));
        out.writeBytes(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(bytes).array());
        out.writeBytes(RecordFormat.header(modelId, RecordFormat.TAG_FULL, last ? RecordFormat.FLAG_LAST : 0, bytes));
        out.writeBytes(new byte[(int) bytes]);
        return out.toByteArray();
    }

    /** {@code struct mtty_data} for {@code ports} ports. */
    static byte[] mtty(int ports) {
        byte[] b = new byte[MttyDevice.HEADER.size() + ports * MttyDevice.PORT_SIZE];
        MttyDevice.HEADER.field("magic").put(b, 0, MttyDevice.MAGIC);
        MttyDevice.HEADER.field("major_ver").put(b, 0, 1);
        MttyDevice.HEADER.field("nr_ports").put(b, 0, ports);
        return b;
    }

    /** The first {@code length} bytes of a {@code struct acc_vf_data} for device {@code devId}. */
    static byte[] hisi(int devId, int length) {
        byte[] b = new byte[HisiAccVfDevice.DATA_SIZE];
        var m = HisiAccVfDevice.MATCH;
        m.field("acc_magic").put(b, 0, HisiAccVfDevice.MAGIC_V2);
        m.field("qp_num").put(b, 0, HisiAccVfDevice.QP_NUM);
        m.field("dev_id").put(b, 0, devId);
        m.field("major_ver").put(b, 0, 1);
        return java.util.Arrays.copyOf(b, length);
    }
}
