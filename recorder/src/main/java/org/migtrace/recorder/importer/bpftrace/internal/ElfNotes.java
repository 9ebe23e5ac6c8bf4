package org.migtrace.recorder.importer.bpftrace.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The SystemTap SDT notes of an ELF file (section {@code .note.stapsdt}, notes of owner
 * {@code stapsdt}, type 3): the USDT probes a binary was built with, as {@code sys/sdt.h} lays them
 * out: three addresses (the probe's pc, the {@code .stapsdt.base} address, the semaphore), then
 * the provider, the probe name and the argument spec ({@code "8@%rax -4@%edx"}: one
 * {@code size@location} per argument), each NUL-terminated. Only the section headers and that
 * section are read, however large the binary. 64-bit little-endian ELF only (x86_64, aarch64).
 */
public final class ElfNotes {
    /** One USDT probe. */
    public record Probe(String provider, String name, int args, boolean semaphore) {
    }

    private static final int NT_STAPSDT = 3;

    private ElfNotes() {
    }

    /** The probes of {@code elf}; empty for a file that is not a 64-bit little-endian ELF or has no notes. */
    public static List<Probe> probes(Path elf) throws IOException {
        try (FileChannel ch = FileChannel.open(elf, StandardOpenOption.READ)) {
            ByteBuffer h = read(ch, 0, 64);
            if (h == null || h.getInt(0) != 0x464c457f || h.get(4) != 2 || h.get(5) != 1) {
                return List.of();
            }
            long shoff = h.getLong(0x28);
            int shentsize = Short.toUnsignedInt(h.getShort(0x3A));
            int shnum = Short.toUnsignedInt(h.getShort(0x3C));
            int shstrndx = Short.toUnsignedInt(h.getShort(0x3E));
            if (shoff <= 0 || shentsize < 64 || shnum == 0 || shstrndx >= shnum) {
                return List.of();
            }
            ByteBuffer sections = read(ch, shoff, (long) shentsize * shnum);
            if (sections == null) {
                return List.of();
            }
            ByteBuffer names = section(ch, sections, shentsize, shstrndx);
            List<Probe> out = new ArrayList<>();
            for (int i = 0; i < shnum && names != null; i++) {
                int nameOff = sections.getInt(i * shentsize);
                if (".note.stapsdt".equals(cstring(names, nameOff))) {
                    ByteBuffer notes = section(ch, sections, shentsize, i);
                    if (notes != null) {
                        parse(notes, out);
                    }
                }
            }
            return out;
        }
    }

    private static void parse(ByteBuffer notes, List<Probe> out) {
        int p = 0;
        while (p + 12 <= notes.limit()) {
            int namesz = notes.getInt(p);
            int descsz = notes.getInt(p + 4);
            int type = notes.getInt(p + 8);
            int name = p + 12;
            int desc = name + align4(namesz);
            if (namesz < 0 || descsz < 0 || desc + descsz > notes.limit()) {
                return;
            }
            if (type == NT_STAPSDT && "stapsdt".equals(cstring(notes, name)) && descsz >= 24) {
                long semaphore = notes.getLong(desc + 16);
                int s = desc + 24;
                String provider = cstring(notes, s);
                s += provider.getBytes(StandardCharsets.UTF_8).length + 1;
                String probe = cstring(notes, s);
                s += probe.getBytes(StandardCharsets.UTF_8).length + 1;
                String args = s < desc + descsz ? cstring(notes, s) : "";
                out.add(new Probe(provider, probe, args.isBlank() ? 0 : args.trim().split("\\s+").length, semaphore != 0));
            }
            p = desc + align4(descsz);
        }
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }

    private static ByteBuffer section(FileChannel ch, ByteBuffer sections, int shentsize, int index) throws IOException {
        int base = index * shentsize;
        long offset = sections.getLong(base + 0x18);
        long size = sections.getLong(base + 0x20);
        if (sections.getInt(base + 4) == 8 || size <= 0 || size > (64 << 20)) { // SHT_NOBITS, or absurd
            return null;
        }
        return read(ch, offset, size);
    }

    private static ByteBuffer read(FileChannel ch, long offset, long size) throws IOException {
        if (offset < 0 || size < 0 || offset + size > ch.size()) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) {
                return null;
            }
        }
        return b.flip();
    }

    private static String cstring(ByteBuffer b, int at) {
        if (at < 0 || at >= b.limit()) {
            return "";
        }
        int end = at;
        while (end < b.limit() && b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - at];
        b.get(at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
