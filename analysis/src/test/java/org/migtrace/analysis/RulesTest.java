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
    void aHeaderContinuationThatStartsWithAWordAndAColonStaysInItsField() {
        Rule r = Rule.parse("x.sql", "-- id: MIG-X-001\n-- severity: info\n-- meaning: the next call acts as if it had\n"
                + "--   succeeded: it reads the data.\n-- source: vfio.h\nSELECT 1");
        assertThat(r.meaning()).isEqualTo("the next call acts as if it had succeeded: it reads the data.");
        assertThat(r.source()).isEqualTo("vfio.h");
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
        t.syscall(10, "\"op\": \"VFIO_IOMMU_DIRTY_PAGES\", " + CONTAINER + ", \"flags\": 1, \"ret\": 0");
        t.dmaWrite(20, DEV, 256, 3);       // IOVA 1 MiB: inside the unmapped range
        t.dmaWrite(21, DEV, 1 << 20, 5);   // IOVA 4 GiB: outside it
        t.syscall(30, "\"op\": \"VFIO_IOMMU_UNMAP_DMA\", " + CONTAINER + ", \"flags\": " + unmapFlags
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
        try (TraceDatabase db = TraceDatabase.load(tmp.resolve("bad"))) {
            assertThat(Analysis.of(db).verdictLines()).as("the analysis says so next to its verdict")
                    .contains("uncertain: the capture lost events (MIG-CAP-001 at seq " + seq + "): counts, the verdict"
                            + " and the rules near them may be wrong");
        }
        HandTrace good = HandTrace.v2("");
        good.setState(5, DEV, "RUNNING", "PRE_COPY");
        assertThat(violations(good, "good")).isEmpty();
    }

    /** The fd columns of a call on type1 container0. */
    static final String CONTAINER = "\"fd\": 4, \"fd_kind\": \"CONTAINER\", \"object\": \"container0\"";

    static long getBitmap(HandTrace t, long ts, long bitmapBytes) {
        return t.syscall(ts, "\"op\": \"VFIO_IOMMU_DIRTY_PAGES\", " + CONTAINER + ","
                + " \"flags\": 4, \"iova\": 0, \"length\": 2147483648, \"page_size\": 4096, \"ret\": 0, \"args\":"
                + " \"{\\\"in\\\":{\\\"flags\\\":4,\\\"data\\\":{\\\"iova\\\":0,\\\"size\\\":2147483648,\\\"bitmap\\\":"
                + "{\\\"pgsize\\\":4096,\\\"size\\\":" + bitmapBytes + "}}}}\"");
    }

    @Test
    void aBitmapMustHoldABitPerPageAndAReportUseTheStartPageSize() throws Exception {
        HandTrace bad = HandTrace.v2("");
        bad.syscall(5, "\"op\": \"VFIO_IOMMU_DIRTY_PAGES\", " + CONTAINER + ", \"flags\": 1, \"ret\": 0");
        long small = getBitmap(bad, 10, 32768);           // 2 GiB / 4 KiB = 524288 bits = 65536 bytes
        bad.feature(20, DEV, "DMA_LOGGING_START", "SET");  // page_size 4096
        long report = bad.syscall(30, "\"op\": \"VFIO_DEVICE_FEATURE\", \"fd\": 9, \"fd_kind\": \"DEVICE\", \"device\": \""
                + DEV + "\", \"feature\": \"DMA_LOGGING_REPORT\", \"feature_ops\": \"GET\", \"page_size\": 2097152, \"ret\": 0");
        assertThat(violations(bad, "bad")).containsExactly(List.of("MIG-TRK-005", small), List.of("MIG-TRK-005", report));
        HandTrace good = HandTrace.v2("");
        good.syscall(5, "\"op\": \"VFIO_IOMMU_DIRTY_PAGES\", " + CONTAINER + ", \"flags\": 1, \"ret\": 0");
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
        v1State(bad, 5, "RUNNING", "RUNNING|SAVING", 3, "write");
        register(bad, 10, "pread64", "pending_bytes");
        register(bad, 11, "pread64", "data_offset");
        register(bad, 12, "pread64", "data_size");
        register(bad, 20, "pread64", "pending_bytes");
        long seq = register(bad, 21, "pread64", "data_size");
        assertThat(violations(bad, "bad")).containsExactly(List.of("MIG-V1-003", seq));
        HandTrace good = HandTrace.v1();
        v1State(good, 5, "RUNNING", "RESUMING", 4, "write");
        register(good, 10, "pread64", "data_offset");
        register(good, 11, "pwrite64", "data_size");
        register(good, 20, "pread64", "data_offset");
        register(good, 21, "pwrite64", "data_size");
        assertThat(violations(good, "good")).isEmpty();
    }

    /** A v1 device_state write through the migration region (index 9), with its outcome. */
    static long v1Set(HandTrace t, long ts, String name, int raw, String errno, int number) {
        return t.syscall(ts, "\"op\": \"pwrite64\", \"fd\": 5, \"fd_kind\": \"DEVICE\", \"device\": \"" + DEV
                + "\", \"requested_state\": \"" + name + "\", \"state_raw\": " + raw + ", \"count\": 4, \"offset\": "
                + (9L << 40) + (errno == null ? ", \"ret\": 4" : ", \"ret\": " + (-number) + ", \"errno\": \"" + errno
                + "\", \"errno_num\": " + number) + ", \"args\": \"{\\\"region\\\":9,\\\"region_offset\\\":0,"
                + "\\\"register\\\":\\\"device_state\\\"}\"");
    }

    /** An mmap of {@code length} bytes of device region {@code region} from {@code offset}; fails with EINVAL when {@code vaddr} is 0. */
    static long v1Mmap(HandTrace t, long ts, int region, long offset, long length, long vaddr) {
        return t.syscall(ts, "\"op\": \"mmap\", \"fd\": 5, \"fd_kind\": \"DEVICE\", \"device\": \"" + DEV
                + "\", \"flags\": 1, \"length\": " + length + ", \"offset\": " + (((long) region << 40) + offset)
                + (vaddr == 0 ? ", \"ret\": -22, \"errno\": \"EINVAL\", \"errno_num\": 22"
                        : ", \"vaddr\": " + vaddr + ", \"ret\": " + vaddr)
                + ", \"args\": \"{\\\"region\\\":" + region + ",\\\"region_offset\\\":" + offset + "}\"");
    }

    static final long BAR0_VA = 0x7f0000000000L;

    @Test
    void savingIsSetOnlyOnceTheTrappedRangeIsUnmapped() throws Exception {
        HandTrace refused = HandTrace.v1();
        v1Mmap(refused, 5, 0, 0, 0x10000, BAR0_VA);
        v1Mmap(refused, 6, 9, 4096, 1 << 20, BAR0_VA + 0x100000); // the data section's own mapping
        long busy = v1Set(refused, 10, "RUNNING|SAVING", 3, "EBUSY", 16);
        try (TraceDatabase db = TraceDatabase.load(refused.write(tmp, "refused"))) {
            QueryResult v = db.query("SELECT rule_id, seq, detail FROM violations");
            assertThat(v.values("rule_id")).containsExactly("MIG-V1-004");
            assertThat(v.get(0, "seq")).isEqualTo(busy);
            assertThat((String) v.get(0, "detail")).isEqualTo("_SAVING refused (EBUSY) with device mappings outstanding:"
                    + " region 0 offset 0x0 length 0x10000 (mmap at seq 0)");
        }
        HandTrace bypassed = HandTrace.v1();
        v1Mmap(bypassed, 5, 0, 0, 0x10000, BAR0_VA);
        long set = v1Set(bypassed, 10, "RUNNING|SAVING", 3, null, 0);
        v1State(bypassed, 10, "RUNNING", "RUNNING|SAVING", 3, "write");
        long trapped = v1Mmap(bypassed, 20, 0, 0x2000, 0x1000, 0);
        assertThat(violations(bypassed, "bypassed")).containsExactly(List.of("MIG-V1-004", set));
        assertThat(trapped).isGreaterThan(set);
        HandTrace good = HandTrace.v1();
        v1Mmap(good, 5, 0, 0, 0x10000, BAR0_VA);
        v1Mmap(good, 6, 9, 4096, 1 << 20, BAR0_VA + 0x100000);
        good.syscall(8, "\"op\": \"munmap\", \"vaddr\": " + BAR0_VA + ", \"length\": 65536, \"ret\": 0");
        v1Set(good, 10, "RUNNING|SAVING", 3, null, 0);
        v1State(good, 10, "RUNNING", "RUNNING|SAVING", 3, "write");
        v1Mmap(good, 20, 0, 0x2000, 0x1000, 0);
        v1Mmap(good, 21, 0, 0, 0x2000, BAR0_VA);
        assertThat(violations(good, "good")).isEmpty();
    }

    static long data(HandTrace t, long ts, String op) {
        return t.syscall(ts, "\"op\": \"" + op + "\", \"fd\": 5, \"fd_kind\": \"DEVICE\", \"device\": \"" + DEV
                + "\", \"count\": 4096, \"ret\": 4096, \"args\": \"{\\\"region\\\":9,\\\"region_offset\\\":4096}\"");
    }

    @Test
    void v1SaveAndResumeFollowTheProtocolsOrder() throws Exception {
        HandTrace bad = HandTrace.v1();
        long early = register(bad, 5, "pread64", "pending_bytes");   // still RUNNING: undefined
        v1State(bad, 8, "RUNNING", "RUNNING|SAVING", 3, "write");
        register(bad, 10, "pread64", "pending_bytes");
        register(bad, 11, "pread64", "data_offset");
        long blind = data(bad, 12, "pread64");                          // before data_size
        register(bad, 13, "pread64", "data_size");
        data(bad, 14, "pread64");
        long unacked = register(bad, 15, "pread64", "data_offset");    // no pending_bytes in between
        assertThat(violations(bad, "bad")).containsExactly(List.of("MIG-V1-005", early), List.of("MIG-V1-005", blind),
                List.of("MIG-V1-005", unacked));
        HandTrace good = HandTrace.v1();
        v1State(good, 8, "RUNNING", "RUNNING|SAVING", 3, "write");
        for (int chunk = 0; chunk < 2; chunk++) {
            register(good, 10 + 10 * chunk, "pread64", "pending_bytes");
            register(good, 11 + 10 * chunk, "pread64", "data_offset");
            register(good, 12 + 10 * chunk, "pread64", "data_size");
            data(good, 13 + 10 * chunk, "pread64");
        }
        register(good, 40, "pread64", "pending_bytes");
        assertThat(violations(good, "good")).isEmpty();

        HandTrace resumeBad = HandTrace.v1();
        v1State(resumeBad, 8, "RUNNING", "RESUMING", 4, "write");
        long unplaced = data(resumeBad, 10, "pwrite64");
        register(resumeBad, 11, "pread64", "data_offset");
        assertThat(violations(resumeBad, "resume-bad")).containsExactly(List.of("MIG-V1-005", unplaced));
        HandTrace resumeGood = HandTrace.v1();
        v1State(resumeGood, 8, "RUNNING", "RESUMING", 4, "write");
        register(resumeGood, 10, "pread64", "data_offset");
        data(resumeGood, 11, "pwrite64");
        register(resumeGood, 12, "pwrite64", "data_size");
        assertThat(violations(resumeGood, "resume-good")).isEmpty();
    }

    @Test
    void aFailedV1WriteIsFollowedByReadingTheStateBack() throws Exception {
        HandTrace bad = HandTrace.v1();
        v1Set(bad, 10, "RUNNING|SAVING", 3, "EIO", 5);
        long asIf = register(bad, 20, "pread64", "pending_bytes");
        assertThat(violations(bad, "bad")).contains(List.of("MIG-ERR-002", asIf));
        HandTrace good = HandTrace.v1();
        v1Set(good, 10, "RUNNING|SAVING", 3, "EIO", 5);
        register(good, 15, "pread64", "device_state");
        v1Set(good, 20, "RUNNING|SAVING", 3, null, 0);
        v1State(good, 20, "RUNNING", "RUNNING|SAVING", 3, "write");
        register(good, 30, "pread64", "pending_bytes");
        assertThat(violations(good, "good")).isEmpty();
    }

    static long getInfo(HandTrace t, long ts, long pgsizeBitmap) {
        return t.syscall(ts, "\"op\": \"VFIO_IOMMU_GET_INFO\", " + CONTAINER + ","
                + " \"flags\": 3, \"ret\": 0, \"args\": \"{\\\"out\\\":{\\\"flags\\\":3,\\\"iova_pgsizes\\\":1075843072,"
                + "\\\"caps\\\":[{\\\"header\\\":{\\\"id\\\":2,\\\"version\\\":1,\\\"next\\\":0},\\\"flags\\\":0,"
                + "\\\"pgsize_bitmap\\\":" + pgsizeBitmap + ",\\\"max_dirty_bitmap_size\\\":268435456}]}}\"");
    }

    @Test
    void aBitmapIsAskedAtThePageSizeTheIommuTracks() throws Exception {
        String huge = "\"op\": \"VFIO_IOMMU_DIRTY_PAGES\", " + CONTAINER + ", \"flags\": 4, \"iova\": 0, \"length\": 2147483648,"
                + " \"page_size\": 2097152, \"ret\": -22, \"errno\": \"EINVAL\", \"errno_num\": 22, \"args\": \"{\\\"in\\\":"
                + "{\\\"flags\\\":4,\\\"data\\\":{\\\"iova\\\":0,\\\"size\\\":2147483648,\\\"bitmap\\\":"
                + "{\\\"pgsize\\\":2097152,\\\"size\\\":128}}}}\"";
        HandTrace bad = HandTrace.v2("");
        getInfo(bad, 1, 4096);
        bad.syscall(5, "\"op\": \"VFIO_IOMMU_DIRTY_PAGES\", " + CONTAINER + ", \"flags\": 1, \"ret\": 0");
        long wrong = bad.syscall(10, huge);
        long misaligned = bad.syscall(20, "\"op\": \"IOMMU_HWPT_GET_DIRTY_BITMAP\", \"fd\": 6, \"fd_kind\": \"IOMMUFD\","
                + " \"object\": \"iommufd0\", \"iova\": 2048, \"length\": 1048576, \"page_size\": 4096, \"ret\": 0");
        try (TraceDatabase db = TraceDatabase.load(bad.write(tmp, "bad"))) {
            QueryResult v = db.query("SELECT rule_id, seq, detail FROM violations WHERE rule_id = 'MIG-TRK-006' ORDER BY seq");
            assertThat(v.values("seq")).containsExactly(wrong, misaligned);
            assertThat((String) v.get(0, "detail")).isEqualTo("VFIO_IOMMU_DIRTY_PAGES bitmap at page size 2097152:"
                    + " the container tracks at 4096 only (page sizes 0x1000, GET_INFO at seq 0)");
        }
        HandTrace good = HandTrace.v2("");
        getInfo(good, 1, 4096);
        good.syscall(5, "\"op\": \"VFIO_IOMMU_DIRTY_PAGES\", " + CONTAINER + ", \"flags\": 1, \"ret\": 0");
        getBitmap(good, 10, 65536);
        good.syscall(15, "\"op\": \"IOMMU_HWPT_SET_DIRTY_TRACKING\", \"fd\": 6, \"fd_kind\": \"IOMMUFD\","
                + " \"object\": \"iommufd0\", \"flags\": 1, \"ret\": 0");
        good.syscall(20, "\"op\": \"IOMMU_HWPT_GET_DIRTY_BITMAP\", \"fd\": 6, \"fd_kind\": \"IOMMUFD\","
                + " \"object\": \"iommufd0\", \"iova\": 4096, \"length\": 1048576, \"page_size\": 4096, \"ret\": 0");
        assertThat(violations(good, "good")).isEmpty();
    }
}
