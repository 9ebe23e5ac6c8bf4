package org.migtrace.trace;

/**
 * The columns of the {@code events} table: one row per syscall, device state change, memory-write
 * batch, migration-driver step or loss marker, in {@code seq} order. Names of ops, states, errno and
 * features are the uAPI's; raw numbers are kept next to them.
 */
public enum EventColumn implements Column {
    SEQ(Column.notNull(ColumnType.INT64, "", "total order of everything in the trace: strictly increasing (from 0 when the writer assigns it)")),
    TS_NS(Column.notNull(ColumnType.INT64, "ns", "monotonic timestamp (virtual time for simulated runs; CLOCK_MONOTONIC on hosts)")),
    HOST(Column.nullable(ColumnType.UTF8, "", "host the event happened on (src, dst, or the host name); null if unknown")),
    PID(Column.nullable(ColumnType.INT32, "", "process id of the caller; null for hardware-side events")),
    TID(Column.nullable(ColumnType.INT32, "", "thread id of the caller; null for hardware-side events")),
    THREAD(Column.nullable(ColumnType.UTF8, "", "thread name (comm), e.g. live_migration, CPU 0/KVM")),
    ACTOR(Column.notNull(ColumnType.UTF8, "", "who acted: vmm, guest_cpu, device_dma, kernel, migration, capture")),
    KIND(Column.notNull(ColumnType.UTF8, "", "syscall, state (a device state change), write (memory writes), migration (a driver step), lost (events the capture lost), tracepoint (a VMM trace event: QEMU log backend or USDT), diagnostic (a message of the capture tool: bpftrace errors and warnings)")),
    OP(Column.notNull(ColumnType.UTF8, "", "the uAPI name: ioctl name (VFIO_DEVICE_FEATURE), syscall (openat, read, pread64, mmap...), DEVICE_STATE, CPU_WRITE, DMA_WRITE, SETUP, ITERATION, SWITCHOVER, COMPLETED, FAILED, CANCELLED, LOST; for kind tracepoint the trace event's name; for kind diagnostic the message type (helper_error, errorf, warnf, runtime_error, printf)")),
    CMD(Column.nullable(ColumnType.INT64, "", "raw ioctl command number (e.g. 0x3B75); null for other syscalls")),
    FD(Column.nullable(ColumnType.INT32, "", "the fd argument; null when there is none")),
    FD_KIND(Column.nullable(ColumnType.UTF8, "", "what the fd refers to: CONTAINER, GROUP, DEVICE, IOMMUFD, MIG_DATA, OTHER")),
    OBJECT(Column.nullable(ColumnType.UTF8, "", "the kernel object behind the fd (device name, container0, iommufd0, data file), or the path for openat")),
    DEVICE(Column.nullable(ColumnType.UTF8, "", "the device the event concerns, when there is one")),
    FEATURE(Column.nullable(ColumnType.UTF8, "", "VFIO_DEVICE_FEATURE index by name (MIGRATION, MIG_DEVICE_STATE, DMA_LOGGING_REPORT, MIG_DATA_SIZE...); null otherwise")),
    FEATURE_OPS(Column.nullable(ColumnType.UTF8, "", "VFIO_DEVICE_FEATURE op bits: GET, SET, PROBE, joined by |")),
    FLAGS(Column.nullable(ColumnType.INT64, "", "the struct's flags member (raw): as passed, or as returned for output-only structs (GROUP_GET_STATUS, GET_INFO, GET_REGION_INFO, PRECOPY_INFO); the migration flags for FEATURE MIGRATION; the mmap flags")),
    ARGSZ(Column.nullable(ColumnType.INT64, "bytes", "the struct's argsz (or size for IOMMUFD structs) as passed")),
    IOVA(Column.nullable(ColumnType.INT64, "bytes", "IOVA argument (u64 bit pattern)")),
    LENGTH(Column.nullable(ColumnType.INT64, "bytes", "length / size argument of a mapping, bitmap range or memory write")),
    PAGE_SIZE(Column.nullable(ColumnType.INT64, "bytes", "page size of a dirty bitmap or DMA-logging request")),
    VADDR(Column.nullable(ColumnType.INT64, "", "user virtual address argument (MAP_DMA vaddr, IOAS_MAP user_va, mmap result)")),
    REQUESTED_STATE(Column.nullable(ColumnType.UTF8, "", "v2: the MIG_DEVICE_STATE requested (STOP_COPY...); v1: the device_state written (RUNNING|SAVING)")),
    FROM_STATE(Column.nullable(ColumnType.UTF8, "", "state before a state change (kind state)")),
    TO_STATE(Column.nullable(ColumnType.UTF8, "", "state after a state change (kind state), or the state a MIG_DEVICE_STATE GET/SET or a v1 device_state read returned")),
    STATE_RAW(Column.nullable(ColumnType.INT64, "", "raw device_state (v2 enum value or v1 bits): of REQUESTED_STATE for a SET or v1 write, of TO_STATE for state rows")),
    DATA_FD(Column.nullable(ColumnType.INT32, "", "data_fd returned by MIG_DEVICE_STATE (-1 when none)")),
    COUNT(Column.nullable(ColumnType.INT64, "", "bytes requested by read/write/pread64/pwrite64; for kind write the number of runs in the batch; for kind lost the number of events lost")),
    OFFSET(Column.nullable(ColumnType.INT64, "bytes", "pread/pwrite/mmap file offset (device fds encode the region index in bits 40+)")),
    INITIAL_BYTES(Column.nullable(ColumnType.INT64, "bytes", "VFIO_MIG_GET_PRECOPY_INFO initial_bytes")),
    DIRTY_BYTES(Column.nullable(ColumnType.INT64, "bytes", "VFIO_MIG_GET_PRECOPY_INFO dirty_bytes")),
    STOP_COPY_LENGTH(Column.nullable(ColumnType.INT64, "bytes", "MIG_DATA_SIZE stop_copy_length")),
    RET(Column.nullable(ColumnType.INT64, "", "the syscall's raw return value (-errno on failure); null for non-syscalls")),
    ERRNO(Column.nullable(ColumnType.UTF8, "", "errno name (EINVAL) when RET is negative; null on success")),
    ERRNO_NUM(Column.nullable(ColumnType.INT32, "", "errno number (22) when RET is negative; null on success")),
    ARGS(Column.nullable(ColumnType.UTF8, "", "JSON object with every decoded struct member, {\"in\":{...},\"out\":{...}} by C member name, for fields without their own column"));

    private final Spec spec;

    EventColumn(Spec spec) {
        this.spec = spec;
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
