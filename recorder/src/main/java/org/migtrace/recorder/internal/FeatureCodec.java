package org.migtrace.recorder.internal;

import static org.migtrace.trace.EventColumn.ARGSZ;
import static org.migtrace.trace.EventColumn.DATA_FD;
import static org.migtrace.trace.EventColumn.FEATURE;
import static org.migtrace.trace.EventColumn.FEATURE_OPS;
import static org.migtrace.trace.EventColumn.FLAGS;
import static org.migtrace.trace.EventColumn.IOVA;
import static org.migtrace.trace.EventColumn.LENGTH;
import static org.migtrace.trace.EventColumn.PAGE_SIZE;
import static org.migtrace.trace.EventColumn.REQUESTED_STATE;
import static org.migtrace.trace.EventColumn.STATE_RAW;
import static org.migtrace.trace.EventColumn.STOP_COPY_LENGTH;
import static org.migtrace.trace.EventColumn.TO_STATE;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.migtrace.uapi.DeviceFeature;
import org.migtrace.uapi.StructLayout;
import org.migtrace.uapi.Structs;

/**
 * {@code VFIO_DEVICE_FEATURE}: the {@code vfio_device_feature} header ({@code argsz}, {@code flags}
 * = feature index | GET/SET/PROBE), then the payload in {@code data[]} decoded by the feature's
 * struct, as far as {@code argsz} covers it. A PROBE carries no payload (the kernel answers it
 * before looking at one). Typed columns: the feature by name, its ops, and per feature the
 * requested and resulting state and data fd (MIG_DEVICE_STATE), the migration flags (MIGRATION),
 * the stop-copy length (MIG_DATA_SIZE), the page size and ranges (DMA_LOGGING_START), the range
 * and its bitmap (DMA_LOGGING_REPORT).
 */
public final class FeatureCodec implements IoctlCodec {
    private static final StructLayout HEADER = Structs.VFIO_DEVICE_FEATURE;
    private static final int HDR = HEADER.size();
    private static final StructLayout RANGE = Structs.VFIO_DEVICE_FEATURE_DMA_LOGGING_RANGE;
    /** {@code LOG_MAX_RANGES} (ranges fit one kernel page): more are refused, so more are not decoded. */
    private static final int MAX_RANGES = 4096 / RANGE.size();

    @Override
    public void enter(UserBytes mem, long arg, CallArgs call) {
        byte[] hdr = mem.read(arg, HDR);
        if (hdr == null) {
            return;
        }
        long argsz = HEADER.field("argsz").get(hdr, 0);
        long flags = HEADER.field("flags").get(hdr, 0);
        call.in().putAll(StructValues.decode(HEADER, hdr, 0, HDR));
        call.column(ARGSZ, argsz).column(FLAGS, flags);
        int index = (int) (flags & DeviceFeature.MASK);
        DeviceFeature feature = DeviceFeature.of(index).orElse(null);
        call.column(FEATURE, feature == null ? Integer.toString(index) : feature.name());
        call.column(FEATURE_OPS, ops(flags));
        StructLayout payload = (flags & DeviceFeature.PROBE) != 0 ? null : payload(feature);
        if (payload == null) {
            return;
        }
        int available = (int) Math.max(0, Math.min(argsz - HDR, payload.size()));
        byte[] b = available == 0 ? new byte[0] : mem.read(arg + HDR, available);
        if (b == null) {
            return;
        }
        call.available(available);
        Map<String, Object> data = StructValues.decode(payload, b, 0, available);
        call.in().put("data", data);
        payloadIn(mem, feature, flags, data, call);
    }

    private static void payloadIn(UserBytes mem, DeviceFeature feature, long flags, Map<String, Object> data,
                                  CallArgs call) {
        switch (feature) {
            case MIG_DEVICE_STATE -> {
                Long state = StructValues.raw(data.get("device_state"));
                if ((flags & DeviceFeature.SET) != 0 && state != null) {
                    call.column(REQUESTED_STATE, StateNames.v2(state)).column(STATE_RAW, state);
                }
            }
            case DMA_LOGGING_START -> {
                call.columnFrom(PAGE_SIZE, data, "page_size");
                data.put("*ranges", ranges(mem, data.get("ranges"), data.get("num_ranges")));
            }
            case DMA_LOGGING_REPORT -> {
                call.columnFrom(IOVA, data, "iova").columnFrom(LENGTH, data, "length").columnFrom(PAGE_SIZE, data, "page_size")
                        .bitmapFrom(data.get("iova"), data.get("length"), data.get("page_size"), data.get("bitmap"));
            }
            default -> {
            }
        }
    }

    @Override
    public void exit(UserBytes mem, long arg, long ret, CallArgs call) {
        Map<String, Object> in = call.inOrNull();
        if (ret < 0 || in == null || !(in.get("data") instanceof Map<?, ?>) || call.available() == 0) {
            return;
        }
        long flags = StructValues.raw(in.get("flags"));
        DeviceFeature feature = DeviceFeature.of(flags & DeviceFeature.MASK).orElseThrow();
        StructLayout payload = payload(feature);
        byte[] b = mem.read(arg + HDR, call.available());
        if (b == null) {
            return;
        }
        Map<String, Object> data = payloadOut(feature, StructValues.decode(payload, b, 0, call.available()), call);
        if (!data.isEmpty()) {
            call.out().put("data", data);
        }
    }

    /** The members of a successful call's payload the kernel wrote, and their columns. */
    private static Map<String, Object> payloadOut(DeviceFeature feature, Map<String, Object> all, CallArgs call) {
        Map<String, Object> data = new LinkedHashMap<>();
        switch (feature) {
            case MIGRATION -> {
                copy(all, data, "flags");
                call.columnFrom(FLAGS, all, "flags");
            }
            case MIG_DEVICE_STATE -> {
                copy(all, data, "device_state");
                copy(all, data, "data_fd");
                Long state = StructValues.raw(all.get("device_state"));
                if (state != null) {
                    call.column(TO_STATE, StateNames.v2(state));
                }
                call.columnFrom(DATA_FD, all, "data_fd");
            }
            case MIG_DATA_SIZE -> {
                copy(all, data, "stop_copy_length");
                call.columnFrom(STOP_COPY_LENGTH, all, "stop_copy_length");
            }
            case DMA_LOGGING_START -> copy(all, data, "page_size");
            default -> {
            }
        }
        return data;
    }

    /** The payload struct of a feature whose payload migtrace decodes; null for the others. */
    private static StructLayout payload(DeviceFeature feature) {
        if (feature == null) {
            return null;
        }
        return switch (feature) {
            case MIGRATION -> Structs.VFIO_DEVICE_FEATURE_MIGRATION;
            case MIG_DEVICE_STATE -> Structs.VFIO_DEVICE_FEATURE_MIG_STATE;
            case DMA_LOGGING_START -> Structs.VFIO_DEVICE_FEATURE_DMA_LOGGING_CONTROL;
            case DMA_LOGGING_REPORT -> Structs.VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT;
            case MIG_DATA_SIZE -> Structs.VFIO_DEVICE_FEATURE_MIG_DATA_SIZE;
            default -> null;
        };
    }

    /** {@code GET|SET|PROBE} as set in {@code flags}; null when none is. */
    static String ops(long flags) {
        StringJoiner j = new StringJoiner("|");
        if ((flags & DeviceFeature.GET) != 0) {
            j.add("GET");
        }
        if ((flags & DeviceFeature.SET) != 0) {
            j.add("SET");
        }
        if ((flags & DeviceFeature.PROBE) != 0) {
            j.add("PROBE");
        }
        return j.length() == 0 ? null : j.toString();
    }

    /** The DMA-logging ranges array, as far as it can be read; null when the pointer faults. */
    private static List<Map<String, Object>> ranges(UserBytes mem, Object pointer, Object count) {
        Long p = StructValues.raw(pointer);
        Long n = StructValues.raw(count);
        List<Map<String, Object>> out = new ArrayList<>();
        if (p == null || n == null || n <= 0) {
            return out;
        }
        int take = (int) Math.min(n, MAX_RANGES);
        byte[] b = mem.read(p, take * RANGE.size());
        if (b == null) {
            return null;
        }
        for (int i = 0; i < take; i++) {
            out.add(StructValues.decode(RANGE, b, i * RANGE.size(), RANGE.size()));
        }
        return out;
    }

    private static void copy(Map<String, Object> from, Map<String, Object> to, String member) {
        if (from.containsKey(member)) {
            to.put(member, from.get(member));
        }
    }
}
