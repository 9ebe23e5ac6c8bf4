package org.migtrace.trace;

import java.util.Optional;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.FdKind;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.MigState;

/**
 * One row of the {@code events} table as read back: every {@link EventColumn} in schema order,
 * boxed and null where the column is nullable. The accessors below the components interpret the
 * text columns in the uAPI vocabulary.
 */
public record RecordedEvent(long seq,
                            long tsNs,
                            String host,
                            Integer pid,
                            Integer tid,
                            String thread,
                            String actor,
                            String kind,
                            String op,
                            Long cmd,
                            Integer fd,
                            String fdKind,
                            String object,
                            String device,
                            String feature,
                            String featureOps,
                            Long flags,
                            Long argsz,
                            Long iova,
                            Long length,
                            Long pageSize,
                            Long vaddr,
                            String requestedState,
                            String fromState,
                            String toState,
                            Long stateRaw,
                            Integer dataFd,
                            Long count,
                            Long offset,
                            Long initialBytes,
                            Long dirtyBytes,
                            Long stopCopyLength,
                            Long ret,
                            String errno,
                            Integer errnoNum,
                            String args) {

    /** The value of {@code column} ({@link Long}, {@link Integer} or {@link String}), or null. */
    public Object get(EventColumn column) {
        return switch (column) {
            case SEQ -> seq;
            case TS_NS -> tsNs;
            case HOST -> host;
            case PID -> pid;
            case TID -> tid;
            case THREAD -> thread;
            case ACTOR -> actor;
            case KIND -> kind;
            case OP -> op;
            case CMD -> cmd;
            case FD -> fd;
            case FD_KIND -> fdKind;
            case OBJECT -> object;
            case DEVICE -> device;
            case FEATURE -> feature;
            case FEATURE_OPS -> featureOps;
            case FLAGS -> flags;
            case ARGSZ -> argsz;
            case IOVA -> iova;
            case LENGTH -> length;
            case PAGE_SIZE -> pageSize;
            case VADDR -> vaddr;
            case REQUESTED_STATE -> requestedState;
            case FROM_STATE -> fromState;
            case TO_STATE -> toState;
            case STATE_RAW -> stateRaw;
            case DATA_FD -> dataFd;
            case COUNT -> count;
            case OFFSET -> offset;
            case INITIAL_BYTES -> initialBytes;
            case DIRTY_BYTES -> dirtyBytes;
            case STOP_COPY_LENGTH -> stopCopyLength;
            case RET -> ret;
            case ERRNO -> errno;
            case ERRNO_NUM -> errnoNum;
            case ARGS -> args;
        };
    }

    /** The {@code kind} as the vocabulary's constant, when it is one this reader knows. */
    public Optional<EventKind> eventKind() {
        return Labeled.byLabel(EventKind.class, kind);
    }

    /** The {@code actor} as the vocabulary's constant, when it is one this reader knows. */
    public Optional<Actor> actorKind() {
        return Labeled.byLabel(Actor.class, actor);
    }

    /** Whether this is a syscall event. */
    public boolean isSyscall() {
        return EventKind.SYSCALL.label().equals(kind);
    }

    /** The ioctl this event is, when {@code op} names one (ioctl names are unique; numbers are not). */
    public Optional<Ioctl> ioctl() {
        return enumValue(Ioctl.class, op);
    }

    /** Whether the syscall failed: {@code ret} is negative. */
    public boolean failed() {
        return ret != null && ret < 0;
    }

    /** The errno of a failed syscall, when it is one migtrace names ({@code errno_num} first, else {@code ret}). */
    public Optional<Errno> error() {
        if (errnoNum != null) {
            return Errno.of(errnoNum);
        }
        return ret == null ? Optional.empty() : Errno.ofReturn(ret);
    }

    /** {@code fd_kind} as the uAPI's {@link FdKind}, when set and known. */
    public Optional<FdKind> fdKindValue() {
        return enumValue(FdKind.class, fdKind);
    }

    /** {@code to_state} as a v2 {@link MigState}, when it is one. */
    public Optional<MigState> toMigState() {
        return enumValue(MigState.class, toState);
    }

    /** {@code from_state} as a v2 {@link MigState}, when it is one. */
    public Optional<MigState> fromMigState() {
        return enumValue(MigState.class, fromState);
    }

    /** Per enum type, its constants by name, each as the {@link Optional} handed out. */
    private static final ClassValue<java.util.Map<String, Optional<?>>> BY_NAME = new ClassValue<>() {
        @Override
        protected java.util.Map<String, Optional<?>> computeValue(Class<?> type) {
            java.util.Map<String, Optional<?>> m = new java.util.HashMap<>();
            for (Object e : type.getEnumConstants()) {
                m.put(((Enum<?>) e).name(), Optional.of(e));
            }
            return java.util.Map.copyOf(m);
        }
    };

    @SuppressWarnings("unchecked")
    private static <E extends Enum<E>> Optional<E> enumValue(Class<E> type, String name) {
        if (name == null) {
            return Optional.empty();
        }
        Optional<?> e = BY_NAME.get(type).get(name);
        return e == null ? Optional.empty() : (Optional<E>) e;
    }

    /**
     * Sets every column of this event on {@code row} (not committed): copies an event from one
     * trace into another sink.
     */
    public EventRow copyTo(EventRow row) {
        row.set(EventColumn.SEQ, seq);
        row.set(EventColumn.TS_NS, tsNs);
        row.set(EventColumn.HOST, host);
        if (pid != null) {
            row.set(EventColumn.PID, pid);
        }
        if (tid != null) {
            row.set(EventColumn.TID, tid);
        }
        row.set(EventColumn.THREAD, thread);
        row.set(EventColumn.ACTOR, actor);
        row.set(EventColumn.KIND, kind);
        row.set(EventColumn.OP, op);
        if (cmd != null) {
            row.set(EventColumn.CMD, cmd);
        }
        if (fd != null) {
            row.set(EventColumn.FD, fd);
        }
        row.set(EventColumn.FD_KIND, fdKind);
        row.set(EventColumn.OBJECT, object);
        row.set(EventColumn.DEVICE, device);
        row.set(EventColumn.FEATURE, feature);
        row.set(EventColumn.FEATURE_OPS, featureOps);
        if (flags != null) {
            row.set(EventColumn.FLAGS, flags);
        }
        if (argsz != null) {
            row.set(EventColumn.ARGSZ, argsz);
        }
        if (iova != null) {
            row.set(EventColumn.IOVA, iova);
        }
        if (length != null) {
            row.set(EventColumn.LENGTH, length);
        }
        if (pageSize != null) {
            row.set(EventColumn.PAGE_SIZE, pageSize);
        }
        if (vaddr != null) {
            row.set(EventColumn.VADDR, vaddr);
        }
        row.set(EventColumn.REQUESTED_STATE, requestedState);
        row.set(EventColumn.FROM_STATE, fromState);
        row.set(EventColumn.TO_STATE, toState);
        if (stateRaw != null) {
            row.set(EventColumn.STATE_RAW, stateRaw);
        }
        if (dataFd != null) {
            row.set(EventColumn.DATA_FD, dataFd);
        }
        if (count != null) {
            row.set(EventColumn.COUNT, count);
        }
        if (offset != null) {
            row.set(EventColumn.OFFSET, offset);
        }
        if (initialBytes != null) {
            row.set(EventColumn.INITIAL_BYTES, initialBytes);
        }
        if (dirtyBytes != null) {
            row.set(EventColumn.DIRTY_BYTES, dirtyBytes);
        }
        if (stopCopyLength != null) {
            row.set(EventColumn.STOP_COPY_LENGTH, stopCopyLength);
        }
        if (ret != null) {
            row.set(EventColumn.RET, ret);
        }
        row.set(EventColumn.ERRNO, errno);
        if (errnoNum != null) {
            row.set(EventColumn.ERRNO_NUM, errnoNum);
        }
        row.set(EventColumn.ARGS, args);
        return row;
    }
}
