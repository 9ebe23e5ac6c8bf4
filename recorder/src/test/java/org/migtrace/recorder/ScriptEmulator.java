package org.migtrace.recorder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.migtrace.recorder.importer.bpftrace.BpftraceScript;
import org.migtrace.sim.SimObserver;
import org.migtrace.sim.Sys;
import org.migtrace.sim.SyscallEvent;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.FdKind;

/**
 * What {@code migtrace-vfio.bt} would print about one simulated host's VMM, as {@code bpftrace -f
 * json} lines: the same words read at entry and exit, the same memory blocks (device name, ranges,
 * capability chains, non-zero 64-byte chunks of a returned bitmap) under the same conditions, the
 * same keys. The fd kinds are the simulator's own (what the script's fd map would hold). Used to
 * check that importing a capture gives the rows the simulator's recorder writes for the same calls,
 * and by the benchmarks as a realistic capture (public for them: the recorder's test jar).
 */
public final class ScriptEmulator implements SimObserver {
    private final String host;
    private final long bitmapCap;
    private final List<String> lines = new ArrayList<>();
    private final Map<Integer, long[]> entryWords = new HashMap<>();

    public ScriptEmulator(String host, long bitmapCap) {
        this.host = host;
        this.bitmapCap = bitmapCap;
        lines.add("{\"type\": \"attached_probes\", \"data\": {\"probes\": 17}}");
        printf("{\"migtrace\":\"start\",\"script\":1,\"pid\":0,\"ts_ns\":0,\"bitmap_cap\":" + bitmapCap + "}");
    }

    /** The lines so far, with the script's end line. */
    public String output() {
        List<String> all = new ArrayList<>(lines);
        all.add(envelope("{\"migtrace\":\"end\",\"ts_ns\":0}"));
        return String.join("\n", all) + "\n";
    }

    private boolean followed(SyscallEvent e) {
        return e.host().equals(host) && switch (e.sys()) {
            case OPENAT -> BpftraceScript.Paths.defaults().kind(e.object()) != null;
            case IOCTL -> e.fdKind() != FdKind.OTHER || (e.cmd() & 0xFFFFFF00L) == 0x3B00;
            case CLOSE, READ, WRITE, PREAD64, PWRITE64 -> e.fdKind() != FdKind.OTHER;
            default -> false;
        };
    }

    @Override
    public void syscallEnter(SyscallEvent e) {
        if (!followed(e)) {
            return;
        }
        UserMemory m = e.memory();
        if (e.sys() == Sys.IOCTL) {
            entryWords.put(e.tid(), words(m, e.arg(), 6));
        } else if (e.sys() == Sys.PREAD64 || e.sys() == Sys.PWRITE64) {
            entryWords.put(e.tid(), e.count() <= 8 ? words(m, e.arg(), 1) : new long[1]);
        }
    }

    @Override
    public void syscallExit(SyscallEvent e, long ret) {
        if (!followed(e)) {
            return;
        }
        String head = "{\"ts_ns\":" + e.tsNs() + ",\"t1\":" + e.tsNs() + ",\"pid\":" + e.pid() + ",\"tid\":" + e.tid();
        String thread = ",\"thread\":\"" + e.comm() + "\"}";
        int k = BpftraceScript.code(e.fdKind());
        UserMemory m = e.memory();
        switch (e.sys()) {
            case OPENAT -> printf(head + ",\"op\":\"openat\",\"k\":" + BpftraceScript.code(BpftraceScript.Paths.defaults()
                    .kind(e.object())) + ",\"ret\":" + ret + ",\"object\":\"" + e.object() + "\"" + thread);
            case CLOSE -> printf(head + ",\"op\":\"close\",\"fd\":" + e.fd() + ",\"k\":" + k + ",\"ret\":" + ret + thread);
            case READ, WRITE -> printf(head + ",\"op\":\"" + (e.sys() == Sys.READ ? "read" : "write") + "\",\"fd\":" + e.fd()
                    + ",\"k\":" + k + ",\"count\":" + e.count() + ",\"ret\":" + ret + thread);
            case PREAD64, PWRITE64 -> {
                long[] in = entryWords.remove(e.tid());
                long out = e.count() <= 8 ? words(m, e.arg(), 1)[0] : 0;
                printf(head + ",\"op\":\"" + (e.sys() == Sys.PREAD64 ? "pread64" : "pwrite64") + "\",\"fd\":" + e.fd() + ",\"k\":" + k
                        + ",\"arg\":" + Long.toUnsignedString(e.arg()) + ",\"count\":" + e.count() + ",\"offset\":" + e.offset()
                        + ",\"ret\":" + ret + ",\"in\":\"" + Long.toHexString(in[0]) + "\",\"out\":\"" + Long.toHexString(out)
                        + "\"" + thread);
            }
            case IOCTL -> ioctl(e, ret, head, thread, k);
            default -> {
            }
        }
    }

    private void ioctl(SyscallEvent e, long ret, String head, String thread, int k) {
        UserMemory m = e.memory();
        long[] in = entryWords.remove(e.tid());
        long[] out = words(m, e.arg(), 6);
        long cmd = e.cmd();
        long block = 0;
        long blockBytes = 0;
        long bitmap = 0;
        long bitmapBytes = 0;
        long argsz = in[0] & 0xFFFFFFFFL;
        long flags = in[0] >>> 32;
        if (k == 2 && cmd == 0x3B6A) {
            block = e.arg();
            blockBytes = 64;
        }
        if (k == 3 && cmd == 0x3B75) {
            long feature = flags & 0xFFFF;
            boolean set = (flags & 0x20000) != 0;
            if (feature == 6 && set) {
                block = in[3];
                blockBytes = Math.min(in[2] & 0xFFFFFFFFL, 32) * 16;
            }
            if (feature == 8) {
                bitmap = in[4];
                bitmapBytes = in[3] == 0 ? 0 : (Long.divideUnsigned(in[2], in[3]) + 7) / 8;
            }
        }
        if (k == 1 && cmd == 0x3B75 && (flags & 4) != 0 || k == 1 && cmd == 0x3B72 && (flags & 1) != 0) {
            bitmap = in[5];
            bitmapBytes = in[3] == 0 ? 0 : (Long.divideUnsigned(in[2], in[3]) + 7) / 8;
        }
        if (k == 4 && cmd == 0x3B8C) {
            bitmap = in[5];
            bitmapBytes = in[4] == 0 ? 0 : (Long.divideUnsigned(in[3], in[4]) + 7) / 8;
        }
        if (k == 4 && (cmd == 0x3B82 || cmd == 0x3B84)) {
            block = in[2];
            blockBytes = Math.min(in[1] & 0xFFFFFFFFL, 32) * 16;
        }
        if (((k == 1 || k == 4) && cmd == 0x3B70 || k == 3 && cmd == 0x3B6C) && ret == 0 && argsz > 48) {
            block = e.arg() + 48;
            blockBytes = Math.min(argsz, 512) - 48;
        }
        for (long i = 0; i < 8 && i * 64 < blockBytes; i++) {
            mem(block + i * 64, words(m, block + i * 64, 8), e.tid());
        }
        long captured = Math.min(bitmapBytes, bitmapCap);
        for (long i = 0; i * 64 < captured; i++) {
            long[] w = words(m, bitmap + i * 64, 8);
            if ((w[0] | w[1] | w[2] | w[3] | w[4] | w[5] | w[6] | w[7]) != 0) {
                mem(bitmap + i * 64, w, e.tid());
            }
        }
        printf(head + ",\"op\":\"ioctl\",\"fd\":" + e.fd() + ",\"k\":" + k + ",\"cmd\":" + cmd + ",\"arg\":"
                + Long.toUnsignedString(e.arg()) + ",\"ret\":" + ret + ",\"in\":\"" + hex(in) + "\",\"out\":\"" + hex(out)
                + "\",\"bitmap\":" + Long.toUnsignedString(bitmap) + ",\"bitmap_bytes\":" + bitmapBytes
                + ",\"bitmap_captured\":" + captured + thread);
    }

    private void mem(long addr, long[] w, int tid) {
        printf("{\"mem\":" + Long.toUnsignedString(addr) + ",\"tid\":" + tid + ",\"w\":\"" + hex(w) + "\"}");
    }

    private static String hex(long[] w) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            sb.append(i > 0 ? "," : "").append(Long.toHexString(w[i]));
        }
        return sb.toString();
    }

    /**
     * {@code n} u64 words at {@code addr}. Bytes the simulated process has not mapped read as 0: the
     * simulator allocates a 4-byte int as exactly 4 bytes, where a real process has the rest of a page
     * (the script's 8-byte reads fail only across an unmapped page, which it then reads as 0).
     */
    private static long[] words(UserMemory m, long addr, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long v = 0;
            for (int j = 7; j >= 0; j--) {
                byte[] b = m.copyFrom(addr + 8L * i + j, 1);
                v = v << 8 | (b == null ? 0 : b[0] & 0xFFL);
            }
            out[i] = v;
        }
        return out;
    }

    private void printf(String payload) {
        lines.add(envelope(payload));
    }

    public static String envelope(String payload) {
        return "{\"type\": \"printf\", \"data\": \"" + payload.replace("\\", "\\\\").replace("\"", "\\\"") + "\\n\"}";
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
