#!/usr/bin/env python3
"""A migration's VFIO and IOMMUFD syscalls with real argument structs, on files whose paths look
like VFIO's (ROOT/dev/vfio/vfio, ROOT/dev/vfio/45, ROOT/dev/vfio/devices/vfio0, ROOT/dev/iommu).
They are regular files, so every ioctl fails with ENOTTY; the arguments are still in memory, where
the capture reads them. Waits for ROOT/go before starting (the capture is attached then), prints one
JSON line per call made (what it passed, and what it got) to stdout, then exits.

usage: vfio_workload.py ROOT
"""
import ctypes
import errno
import json
import os
import struct
import sys
import time

ROOT = sys.argv[1]
libc = ctypes.CDLL(None, use_errno=True)
libc.ioctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p]
libc.ioctl.restype = ctypes.c_int
calls = []
keep = []  # buffers must outlive the calls that point into them


def buf(data: bytes):
    b = ctypes.create_string_buffer(data, len(data))
    keep.append(b)
    return b, ctypes.addressof(b)


def ioctl(fd, cmd, arg, **expect):
    r = libc.ioctl(fd, cmd, ctypes.c_void_p(arg))
    ret = -ctypes.get_errno() if r < 0 else r
    calls.append(dict(op="ioctl", fd=fd, cmd=cmd, arg=arg, ret=ret, **expect))
    return ret


def path(p):
    return ROOT + p


deadline = time.monotonic() + 120
while not os.path.exists(path("/go")):
    if time.monotonic() > deadline:
        sys.exit("no go: the capture did not start")
    time.sleep(0.02)

container = os.open(path("/dev/vfio/vfio"), os.O_RDWR)
calls.append(dict(op="openat", path=path("/dev/vfio/vfio"), ret=container))
group = os.open(path("/dev/vfio/45"), os.O_RDWR)
calls.append(dict(op="openat", path=path("/dev/vfio/45"), ret=group))
ioctl(container, 0x3B64, 0)                                              # VFIO_GET_API_VERSION
_, cfd = buf(struct.pack("<i", container))
ioctl(group, 0x3B68, cfd, container_fd=container)                        # VFIO_GROUP_SET_CONTAINER
ioctl(container, 0x3B66, 3)                                              # VFIO_SET_IOMMU type1v2
_, info = buf(struct.pack("<IIQII", 24, 0, 0, 0, 0))
ioctl(container, 0x3B70, info, argsz=24)                                 # VFIO_IOMMU_GET_INFO
_, dmap = buf(struct.pack("<IIQQQ", 32, 3, 0x7F0000000000, 0x100000000, 1 << 30))
ioctl(container, 0x3B71, dmap, vaddr=0x7F0000000000, iova=0x100000000, size=1 << 30)   # VFIO_IOMMU_MAP_DMA
_, name = buf(b"0000:3b:00.1\0")
ioctl(group, 0x3B6A, name, name="0000:3b:00.1")                          # VFIO_GROUP_GET_DEVICE_FD

device = os.open(path("/dev/vfio/devices/vfio0"), os.O_RDWR)
calls.append(dict(op="openat", path=path("/dev/vfio/devices/vfio0"), ret=device))
_, mig = buf(struct.pack("<IIQ", 16, 0x10001, 0))
ioctl(device, 0x3B75, mig, feature="MIGRATION", ops="GET")                # FEATURE GET MIGRATION
_, st = buf(struct.pack("<IIIi", 16, 0x20002, 6, -1))
ioctl(device, 0x3B75, st, feature="MIG_DEVICE_STATE", ops="SET", state="PRE_COPY")
_, ranges = buf(struct.pack("<QQQQ", 0, 1 << 30, 0x100000000, 1 << 30))
_, start = buf(struct.pack("<IIQIIQ", 32, 0x20006, 4096, 2, 0, ctypes.addressof(keep[-1])))
ioctl(device, 0x3B75, start, feature="DMA_LOGGING_START", ops="SET", ranges=[[0, 1 << 30], [0x100000000, 1 << 30]])

# a dirty bitmap filled with a pattern before the call: 1 GiB of 4 KiB pages = 32 KiB of bitmap
pattern = bytearray(32768)
pattern[0] = 0x01                   # page 0
pattern[100:108] = b"\xff" * 8      # pages 800..863
pattern[32767] = 0x80               # page 262143
report_bitmap, report_addr = buf(bytes(pattern))
_, rep = buf(struct.pack("<IIQQQQ", 40, 0x10008, 0, 1 << 30, 4096, report_addr))
ioctl(device, 0x3B75, rep, feature="DMA_LOGGING_REPORT", ops="GET", iova=0, length=1 << 30, bitmap=report_addr)
_, size = buf(struct.pack("<IIQ", 16, 0x10009, 0))
ioctl(device, 0x3B75, size, feature="MIG_DATA_SIZE", ops="GET")

_, start_dirty = buf(struct.pack("<II", 8, 1))
ioctl(container, 0x3B75, start_dirty, flags=1)                            # VFIO_IOMMU_DIRTY_PAGES START
type1_bitmap, type1_addr = buf(bytes(pattern))
_, get = buf(struct.pack("<IIQQQQQ", 48, 4, 0x100000000, 1 << 30, 4096, 32768, type1_addr))
ioctl(container, 0x3B75, get, flags=4, iova=0x100000000, size=1 << 30, bitmap=type1_addr)   # GET_BITMAP
big = bytearray(65536)
big[0] = 0xFF
big[40000] = 0x01                   # past the 32 KiB the capture takes
_, big_addr = buf(bytes(big))
_, get2 = buf(struct.pack("<IIQQQQQ", 48, 4, 0, 2 << 30, 4096, 65536, big_addr))
ioctl(container, 0x3B75, get2, flags=4, iova=0, size=2 << 30, bitmap=big_addr)             # 2 GiB: 64 KiB bitmap
_, unmap = buf(struct.pack("<IIQQ", 24, 0, 0x100000000, 1 << 30))
ioctl(container, 0x3B72, unmap, iova=0x100000000, size=1 << 30)          # VFIO_IOMMU_UNMAP_DMA
ioctl(device, 0x3B6F, 0)                                                 # VFIO_DEVICE_RESET

# v1 migration region register and a region read through the device fd
value = ctypes.create_string_buffer(struct.pack("<I", 3), 4)
keep.append(value)
r = libc.pwrite(device, value, 4, ctypes.c_long(0x1000))
calls.append(dict(op="pwrite64", fd=device, count=4, offset=0x1000, ret=r if r >= 0 else -ctypes.get_errno()))
r = libc.pread(device, value, 4, ctypes.c_long(0x1000))
calls.append(dict(op="pread64", fd=device, count=4, offset=0x1000, ret=r if r >= 0 else -ctypes.get_errno()))

iommufd = os.open(path("/dev/iommu"), os.O_RDWR)
calls.append(dict(op="openat", path=path("/dev/iommu"), ret=iommufd))
_, alloc = buf(struct.pack("<III", 12, 0, 0))
ioctl(iommufd, 0x3B81, alloc)                                            # IOMMU_IOAS_ALLOC
_, imap = buf(struct.pack("<IIIIQQQ", 40, 7, 1, 0, 0x7F0000000000, 1 << 30, 0x100000000))
ioctl(iommufd, 0x3B85, imap, ioas_id=1, user_va=0x7F0000000000, length=1 << 30, iova=0x100000000)   # IOAS_MAP
_, iunmap = buf(struct.pack("<IIQQ", 24, 1, 0x100000000, 1 << 30))
ioctl(iommufd, 0x3B86, iunmap, ioas_id=1, iova=0x100000000, length=1 << 30)                        # IOAS_UNMAP
_, hwpt = buf(struct.pack("<IIIIIIIIQ", 40, 2, 1, 1, 0, 0, 0, 0, 0))
ioctl(iommufd, 0x3B89, hwpt, flags=2, dev_id=1, pt_id=1)                  # IOMMU_HWPT_ALLOC dirty tracking
_, track = buf(struct.pack("<IIII", 16, 1, 2, 0))
ioctl(iommufd, 0x3B8B, track, flags=1, hwpt_id=2)                         # HWPT_SET_DIRTY_TRACKING
hw_bitmap, hw_addr = buf(bytes(pattern))
_, gdb = buf(struct.pack("<IIIIQQQQ", 48, 2, 0, 0, 0, 1 << 30, 4096, hw_addr))
ioctl(iommufd, 0x3B8C, gdb, hwpt_id=2, iova=0, length=1 << 30, page_size=4096, bitmap=hw_addr)     # GET_DIRTY_BITMAP

other = os.open(path("/not-vfio"), os.O_RDWR | os.O_CREAT)
_, pre = buf(struct.pack("<IIQQ", 24, 0, 0, 0))
ioctl(other, 0x3B79, pre)                                                # VFIO_MIG_GET_PRECOPY_INFO on an fd of unknown kind
os.close(other)
os.close(iommufd)
calls.append(dict(op="close", fd=iommufd, ret=0))

print(json.dumps(dict(pid=os.getpid(), calls=calls)))
sys.stdout.flush()
