package org.migtrace.sim.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.MigState;

class V2DeviceConfigTest {

    @Test
    void arcFaultsParseFromTheirTextForm() {
        assertThat(ArcFault.parse("STOP>STOP_COPY:EIO")).isEqualTo(ArcFault.fails(MigState.STOP, MigState.STOP_COPY, Errno.EIO));
        assertThat(ArcFault.parse("running_p2p>stop:etimedout:error:x2"))
                .isEqualTo(ArcFault.failsIntoError(MigState.RUNNING_P2P, MigState.STOP, Errno.ETIMEDOUT).times(2));
        assertThat(ArcFault.parse("RUNNING>STOP:EIO:error").toString()).isEqualTo("RUNNING>STOP:EIO:error");
    }

    @Test
    void badArcFaultsSayWhatIsWrong() {
        assertThatThrownBy(() -> ArcFault.parse("STOP>STOP_COPY")).hasMessageContaining("FROM>TO:ERRNO");
        assertThatThrownBy(() -> ArcFault.parse("STOP>HALT:EIO")).hasMessageContaining("unknown state HALT");
        assertThatThrownBy(() -> ArcFault.parse("STOP>STOP_COPY:EWHAT")).hasMessageContaining("unknown errno");
        assertThatThrownBy(() -> ArcFault.parse("STOP>ERROR:EIO")).hasMessageContaining("not a driver arc");
    }

    @Test
    void modelsParseByTheirIdsAndDefaultToTheRealDriversFlags() {
        assertThat(VendorModel.parse("hisi-acc-vf")).isEqualTo(VendorModel.HISI_ACC_VF);
        assertThat(VendorModel.parse("MLX5_VF")).isEqualTo(VendorModel.MLX5_VF);
        assertThatThrownBy(() -> VendorModel.parse("nvme")).hasMessageContaining("mlx5-vf");
        V2DeviceConfig c = V2DeviceConfig.defaults(VendorModel.HISI_ACC_VF);
        assertThat(c.migrationFlags()).isEqualTo(5);
        assertThat(c.dmaLogging()).isFalse();
    }

    @Test
    void initialBytesDefaultToTheWholeStateAndMayNotExceedIt() {
        V2DeviceConfig c = V2DeviceConfig.builder(VendorModel.MLX5_VF).stopCopyBytes(1000).build();
        assertThat(c.precopyInitialBytes()).isEqualTo(1000);
        assertThatThrownBy(() -> V2DeviceConfig.builder(VendorModel.MLX5_VF).stopCopyBytes(1000)
                .precopyInitialBytes(1001).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> V2DeviceConfig.builder(VendorModel.MLX5_VF).migrationFlags(2).build())
                .hasMessageContaining("STOP_COPY is mandatory");
    }
}
