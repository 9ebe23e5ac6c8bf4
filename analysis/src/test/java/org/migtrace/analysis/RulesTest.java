package org.migtrace.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.migtrace.analysis.HandTrace.DEV;
import static org.migtrace.analysis.HandTrace.DEV2;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each rule fires on a small trace that breaks it, at the event that breaks it, and stays quiet on
 * the same trace with the mistake fixed. Recorded simulations (a correct VMM) break none.
 */
class RulesTest {

    @TempDir
    Path tmp;

    /** The (rule_id, seq) pairs of the violations of {@code t}. */
    List<List<Object>> violations(HandTrace t, String name) throws Exception {
        try (TraceDatabase db = TraceDatabase.load(t.write(tmp, name))) {
            return db.query("SELECT rule_id, seq FROM violations ORDER BY seq, rule_id").rows();
        }
    }

    Set<Object> ids(HandTrace t, String name) throws Exception {
        Set<Object> out = new TreeSet<>();
        violations(t, name).forEach(r -> out.add(r.get(0)));
        return out;
    }

    @Test
    void everyRuleHasAnIdSeverityMeaningAndSourceAndIdsAreUnique() {
        List<Rule> catalog = Rule.catalog();
        assertThat(catalog).hasSizeGreaterThanOrEqualTo(16);
        assertThat(catalog.stream().map(Rule::id).distinct().count()).isEqualTo(catalog.size());
        assertThat(catalog).allSatisfy(r -> {
            assertThat(r.id()).matches("MIG-[A-Z0-9]+-\\d{3}");
            assertThat(r.severity()).isIn("error", "warning", "info");
            assertThat(r.meaning()).isNotBlank();
            assertThat(r.source()).isNotBlank();
        });
    }

    @Test
    void recordedSimulationsBreakNoRule() throws Exception {
        for (String s : List.of("nic-converges", "two-devices-p2p", "v1-legacy", "iommufd-hugepages")) {
            try (TraceDatabase db = TraceDatabase.load(SampleTraces.of(s))) {
                assertThat(db.query("SELECT rule_id, seq, detail FROM violations").rows()).as(s).isEmpty();
            }
        }
    }

    @Test
    void setToErrorIsRefused() throws Exception {
        HandTrace bad = HandTrace.v2("");
        long seq = bad.failedSet(10, DEV, "ERROR", "EINVAL", 22);
        assertThat(violations(bad, "bad")).containsExactly(List.of("MIG-V2-001", seq));
        HandTrace good = HandTrace.v2("");
        good.setState(10, DEV, "RUNNING", "PRE_COPY");
        assertThat(violations(good, "good")).isEmpty();
    }

    @Test
    void stopCopyToPreCopyHangsOldKernels() throws Exception {
        HandTrace bad = HandTrace.v2("");
        bad.setState(10, DEV, "RUNNING", "RUNNING_P2P", "STOP", "STOP_COPY");
        long seq = bad.failedSet(20, DEV, "PRE_COPY", "EINVAL", 22);
        assertThat(violations(bad, "bad")).contains(List.of("MIG-V2-002", seq), List.of("MIG-V2-001", seq));
        HandTrace good = HandTrace.v2("");
        good.setState(10, DEV, "RUNNING", "RUNNING_P2P", "STOP", "STOP_COPY");
        good.setState(20, DEV, "STOP_COPY", "STOP");
        assertThat(violations(good, "good")).isEmpty();
    }

    static long v1Write(HandTrace t, long ts, String name, int raw) {
        return t.syscall(ts, "\"op\": \"pwrite64\", \"fd\": 5, \"fd_kind\": \"DEVICE\", \"device\": \"" + DEV
                + "\", \"requested_state\": \"" + name + "\", \"state_raw\": " + raw + ", \"count\": 4, \"ret\": 4");
    }

    static long v1State(HandTrace t, long ts, String from, String to, int raw, String cause) {
        return t.event("\"ts_ns\": " + ts + ", \"host\": \"src\", \"actor\": \"kernel\", \"kind\": \"state\", \"op\": \"DEVICE_STATE\","
                + " \"device\": \"" + DEV + "\", \"from_state\": \"" + from + "\", \"to_state\": \"" + to + "\", \"state_raw\": " + raw
                + ", \"args\": \"{\\\"cause\\\":\\\"" + cause + "\\\",\\\"protocol\\\":\\\"v1\\\"}\"");
    }

    @Test
    void v1ResumingWithRunningIsNoState() throws Exception {
        HandTrace bad = HandTrace.v1();
        long seq = v1Write(bad, 10, "RUNNING|RESUMING", 5);
        assertThat(violations(bad, "bad")).containsExactly(List.of("MIG-V1-001", seq));
        HandTrace good = HandTrace.v1();
        v1Write(good, 10, "RUNNING|SAVING", 3);
        v1State(good, 10, "RUNNING", "RUNNING|SAVING", 3, "write");
        assertThat(violations(good, "good")).isEmpty();
    }

    @Test
    void v1WriteInTheErrorStateNeedsAResetFirst() throws Exception {
        HandTrace bad = HandTrace.v1();
        v1State(bad, 5, "RUNNING|SAVING", "SAVING|RESUMING", 6, "error");
        long seq = v1Write(bad, 10, "RUNNING", 1);
        assertThat(violations(bad, "bad")).containsExactly(List.of("MIG-V1-002", seq));
        HandTrace good = HandTrace.v1();
        v1State(good, 5, "RUNNING|SAVING", "SAVING|RESUMING", 6, "error");
        good.syscall(8, "\"op\": \"VFIO_DEVICE_RESET\", \"fd\": 5, \"fd_kind\": \"DEVICE\", \"device\": \"" + DEV + "\", \"ret\": 0");
        v1State(good, 8, "SAVING|RESUMING", "RUNNING", 1, "reset");
        v1Write(good, 10, "RUNNING|SAVING", 3);
        assertThat(violations(good, "good")).isEmpty();
    }

    @Test
    void theSavingFdIsDeadOnceTheDeviceIsBackToRunning() throws Exception {
        HandTrace bad = HandTrace.v2("");
        bad.setState(10, DEV, "RUNNING", "PRE_COPY");
        bad.readData(20, DEV, 11);
        bad.setState(30, DEV, "PRE_COPY", "RUNNING");
        long seq = bad.readData(40, DEV, 11);
        assertThat(violations(bad, "bad")).containsExactly(List.of("MIG-V2-003", seq));
        HandTrace good = HandTrace.v2("");
        good.setState(10, DEV, "RUNNING", "PRE_COPY");
        good.readData(20, DEV, 11);
        good.setState(30, DEV, "PRE_COPY", "PRE_COPY_P2P", "STOP_COPY");
        good.readData(40, DEV, 11);
        assertThat(violations(good, "good")).isEmpty();
    }

    @Test
    void precopyInfoIsOnlyForPreCopyStates() throws Exception {
        String info = "\"op\": \"VFIO_MIG_GET_PRECOPY_INFO\", \"fd\": 11, \"fd_kind\": \"MIG_DATA\", \"device\": \"" + DEV + "\"";
        HandTrace bad = HandTrace.v2("");
        bad.setState(10, DEV, "RUNNING", "RUNNING_P2P", "STOP", "STOP_COPY");
        long seq = bad.syscall(20, info + ", \"ret\": -22, \"errno\": \"EINVAL\", \"errno_num\": 22");
        assertThat(violations(bad, "bad")).containsExactly(List.of("MIG-V2-004", seq));
        HandTrace good = HandTrace.v2("");
        good.setState(10, DEV, "RUNNING", "PRE_COPY");
        good.syscall(20, info + ", \"initial_bytes\": 4096, \"dirty_bytes\": 0, \"ret\": 0");
        assertThat(violations(good, "good")).isEmpty();
    }

    @Test
    void aQuiescedDeviceDoesNotDma() throws Exception {
        HandTrace bad = HandTrace.v2("");
        bad.dmaWrite(5, DEV, 100, 1);
        bad.setState(10, DEV, "RUNNING", "RUNNING_P2P");
        long seq = bad.dmaWrite(20, DEV, 100, 1);
        bad.dmaWrite(30, DEV, 101, 1);
        assertThat(violations(bad, "bad")).as("one finding per device and state").containsExactly(List.of("MIG-DMA-001", seq));
        HandTrace good = HandTrace.v2("");
        good.dmaWrite(5, DEV, 100, 1);
        good.setState(10, DEV, "RUNNING", "RUNNING_P2P");
        good.setState(30, DEV, "RUNNING_P2P", "RUNNING");
        good.dmaWrite(40, DEV, 101, 1);
        assertThat(violations(good, "good")).isEmpty();
    }

    @Test
    void finalStateIsReadOnlyOnceEveryDeviceIsQuiesced() throws Exception {
        HandTrace bad = HandTrace.twoDevices();
        bad.setState(10, DEV, "RUNNING", "RUNNING_P2P", "STOP", "STOP_COPY");
        long seq = bad.readData(20, DEV, 11);
        bad.setState(30, DEV2, "RUNNING", "RUNNING_P2P");
        assertThat(violations(bad, "bad")).containsExactly(List.of("MIG-P2P-001", seq));
        HandTrace good = HandTrace.twoDevices();
        good.setState(5, DEV2, "RUNNING", "RUNNING_P2P");
        good.setState(10, DEV, "RUNNING", "RUNNING_P2P", "STOP", "STOP_COPY");
        good.readData(20, DEV, 11);
        assertThat(violations(good, "good")).isEmpty();
    }

    @Test
    void trackingMustStartBeforePreCopy() throws Exception {
        HandTrace bad = HandTrace.v2("");
        bad.migration(10, "SETUP");
        long seq = bad.feature(20, DEV, "DMA_LOGGING_START", "SET");
        assertThat(violations(bad, "bad")).containsExactly(List.of("MIG-TRK-001", seq));
        HandTrace good = HandTrace.v2("");
        good.feature(10, DEV, "DMA_LOGGING_START", "SET");
        good.migration(20, "SETUP");
        assertThat(violations(good, "good")).isEmpty();
    }

    static void iterations(HandTrace t, long ts) {
        String zeros = "\"dirty_pages_cpu\": 0, \"dirty_pages_device\": 0, \"new_dirty_pages\": 0, \"bytes_sent\": 0,"
                + " \"device_bytes_sent\": 0, \"bandwidth\": 1000, \"pending_bytes\": 4096, \"device_pending_bytes\": 0,"
                + " \"threshold_bytes\": 300";
        t.iteration(ts, "\"iteration\": 0, \"time_ns\": 0, \"duration_ns\": 0, " + zeros + ", \"decision\": \"setup\"");
        t.iteration(ts + 10, "\"iteration\": 1, \"time_ns\": 10, \"duration_ns\": 10, " + zeros + ", \"decision\": \"iterate\"");
    }

    @Test
    void aMigrationWithoutAnyTrackingIsFlagged() throws Exception {
        HandTrace bad = HandTrace.v2("");
        bad.setState(5, DEV, "RUNNING", "PRE_COPY");
        iterations(bad, 10);
        assertThat(ids(bad, "bad")).containsExactly("MIG-TRK-002");
        HandTrace good = HandTrace.v2("");
        good.feature(3, DEV, "DMA_LOGGING_START", "SET");
        good.setState(5, DEV, "RUNNING", "PRE_COPY");
        iterations(good, 10);
        assertThat(violations(good, "good")).isEmpty();
    }

    @Test
    void aReportNeedsTrackingOn() throws Exception {
        HandTrace bad = HandTrace.v2("");
        bad.feature(10, DEV, "DMA_LOGGING_START", "SET");
        bad.feature(20, DEV, "DMA_LOGGING_STOP", "SET");
        long seq = bad.feature(30, DEV, "DMA_LOGGING_REPORT", "GET");
        assertThat(violations(bad, "bad")).containsExactly(List.of("MIG-TRK-003", seq));
        HandTrace good = HandTrace.v2("");
        good.feature(10, DEV, "DMA_LOGGING_START", "SET");
        good.feature(30, DEV, "DMA_LOGGING_REPORT", "GET");
        good.feature(40, DEV, "DMA_LOGGING_STOP", "SET");
        assertThat(violations(good, "good")).isEmpty();
    }

    static HandTrace unmapAfterWrites(int unmapFlags) {
        HandTrace t = HandTrace.v2("");
        String container = "\"fd\": 4, \"fd_kind\": \"CONTAINER\", \"object\": \"container0\"";
        t.syscall(10, "\"op\": \"VFIO_IOMMU_DIRTY_PAGES\", " + container + ", \"flags\": 1, \"ret\": 0");
        t.dmaWrite(20, DEV, 256, 3);       // IOVA 1 MiB: inside the unmapped range
        t.dmaWrite(21, DEV, 1 << 20, 5);   // IOVA 4 GiB: outside it
        t.syscall(30, "\"op\": \"VFIO_IOMMU_UNMAP_DMA\", " + container + ", \"flags\": " + unmapFlags
                + ", \"iova\": 0, \"length\": 2147483648, \"ret\": 0");
        return t;
    }

    @Test
    void unmapWithoutTheBitmapLosesTheBitsAndCountsThem() throws Exception {
        HandTrace bad = unmapAfterWrites(0);
        try (TraceDatabase db = TraceDatabase.load(bad.write(tmp, "bad"))) {
            QueryResult v = db.query("SELECT rule_id, detail FROM violations");
            assertThat(v.values("rule_id")).containsExactly("MIG-TRK-004");
            assertThat((String) v.get(0, "detail")).contains("3 pages written since the last report are lost");
        }
        assertThat(violations(unmapAfterWrites(1), "good")).isEmpty();
    }

    @Test
    void aFailedSetFollowedByADataReadIsAnIgnoredError() throws Exception {
        HandTrace bad = HandTrace.v2("");
        bad.setState(5, DEV, "RUNNING", "PRE_COPY");
        bad.failedSet(10, DEV, "STOP_COPY", "EIO", 5);
        long seq = bad.readData(20, DEV, 11);
        assertThat(violations(bad, "bad")).containsExactly(List.of("MIG-ERR-001", seq));
        HandTrace good = HandTrace.v2("");
        good.setState(5, DEV, "RUNNING", "PRE_COPY");
        good.failedSet(10, DEV, "STOP_COPY", "EIO", 5);
        good.feature(20, DEV, "MIG_DEVICE_STATE", "GET");
        assertThat(violations(good, "good")).isEmpty();
    }

    @Test
    void lostEventsMakeConclusionsUncertain() throws Exception {
        HandTrace bad = HandTrace.v2("\"lost_events\": 7");
        bad.setState(5, DEV, "RUNNING", "PRE_COPY");
        long seq = bad.event("\"ts_ns\": 6, \"actor\": \"capture\", \"kind\": \"lost\", \"op\": \"LOST\", \"count\": 7");
        assertThat(violations(bad, "bad")).containsExactly(List.of("MIG-CAP-001", seq));
        HandTrace good = HandTrace.v2("");
        good.setState(5, DEV, "RUNNING", "PRE_COPY");
        assertThat(violations(good, "good")).isEmpty();
    }

    static long getBitmap(HandTrace t, long ts, long bitmapBytes) {
        return t.syscall(ts, "\"op\": \"VFIO_IOMMU_DIRTY_PAGES\", \"fd\": 4, \"fd_kind\": \"CONTAINER\", \"object\": \"container0\","
                + " \"flags\": 4, \"iova\": 0, \"length\": 2147483648, \"page_size\": 4096, \"ret\": 0, \"args\":"
                + " \"{\\\"in\\\":{\\\"flags\\\":4,\\\"data\\\":{\\\"iova\\\":0,\\\"size\\\":2147483648,\\\"bitmap\\\":"
                + "{\\\"pgsize\\\":4096,\\\"size\\\":" + bitmapBytes + "}}}}\"");
    }

    @Test
    void aBitmapMustHoldABitPerPageAndAReportUseTheStartPageSize() throws Exception {
        String container = "\"fd\": 4, \"fd_kind\": \"CONTAINER\", \"object\": \"container0\"";
        HandTrace bad = HandTrace.v2("");
        bad.syscall(5, "\"op\": \"VFIO_IOMMU_DIRTY_PAGES\", " + container + ", \"flags\": 1, \"ret\": 0");
        long small = getBitmap(bad, 10, 32768);           // 2 GiB / 4 KiB = 524288 bits = 65536 bytes
        bad.feature(20, DEV, "DMA_LOGGING_START", "SET");  // page_size 4096
        long report = bad.syscall(30, "\"op\": \"VFIO_DEVICE_FEATURE\", \"fd\": 9, \"fd_kind\": \"DEVICE\", \"device\": \""
                + DEV + "\", \"feature\": \"DMA_LOGGING_REPORT\", \"feature_ops\": \"GET\", \"page_size\": 2097152, \"ret\": 0");
        assertThat(violations(bad, "bad")).containsExactly(List.of("MIG-TRK-005", small), List.of("MIG-TRK-005", report));
        HandTrace good = HandTrace.v2("");
        good.syscall(5, "\"op\": \"VFIO_IOMMU_DIRTY_PAGES\", " + container + ", \"flags\": 1, \"ret\": 0");
        getBitmap(good, 10, 65536);
        good.feature(20, DEV, "DMA_LOGGING_START", "SET");
        good.feature(30, DEV, "DMA_LOGGING_REPORT", "GET");
        assertThat(violations(good, "good")).isEmpty();
    }

    static long register(HandTrace t, long ts, String op, String register) {
        return t.syscall(ts, "\"op\": \"" + op + "\", \"fd\": 5, \"fd_kind\": \"DEVICE\", \"device\": \"" + DEV
                + "\", \"count\": 8, \"ret\": 8, \"args\": \"{\\\"region\\\":9,\\\"register\\\":\\\"" + register + "\\\"}\"");
    }

    @Test
    void v1DataSizeComesAfterDataOffset() throws Exception {
        HandTrace bad = HandTrace.v1();
        register(bad, 10, "pread64", "pending_bytes");
        register(bad, 11, "pread64", "data_offset");
        register(bad, 12, "pread64", "data_size");
        register(bad, 20, "pread64", "pending_bytes");
        long seq = register(bad, 21, "pread64", "data_size");
        assertThat(violations(bad, "bad")).containsExactly(List.of("MIG-V1-003", seq));
        HandTrace good = HandTrace.v1();
        register(good, 10, "pread64", "data_offset");
        register(good, 11, "pwrite64", "data_size");
        register(good, 20, "pread64", "data_offset");
        register(good, 21, "pwrite64", "data_size");
        assertThat(violations(good, "good")).isEmpty();
    }
}
