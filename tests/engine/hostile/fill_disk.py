# Disk filling: writes into folder argv[2] until the kernel refuses, counting bytes in one
# growing file (argv[3] == "bytes"), bytes in many 1 MB files ("files": no single file
# is big), or inodes (empty files, "inodes"). Prints statvfs first.
# Expected: a size- and inode-limited tmpfs refuses (ENOSPC) within its statvfs; a plain
# folder is killed by the disk watchdog, and one file stops at RLIMIT_FSIZE (EFBIG).
import os
import sys

folder, mode = sys.argv[2], sys.argv[3]
st = os.statvfs(folder)
print(f"statvfs bytes {st.f_blocks * st.f_frsize} inodes {st.f_files}", flush=True)
count = 0
block = b"z" * (1 << 20)
try:
    if mode == "bytes":
        fd = os.open(os.path.join(folder, "fill.bin"), os.O_WRONLY | os.O_CREAT, 0o600)
        while True:
            count += os.write(fd, block)
            if count % (64 << 20) == 0:
                print(f"wrote {count}", flush=True)
    elif mode == "files":
        while True:
            fd = os.open(os.path.join(folder, f"m{count >> 20}"), os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                written = 0
                while written < len(block):
                    n = os.write(fd, block[written:])
                    written += n
                    count += n
            finally:
                os.close(fd)
    else:
        while True:
            os.close(os.open(os.path.join(folder, f"f{count}"), os.O_WRONLY | os.O_CREAT, 0o600))
            count += 1
            if count % 20000 == 0:
                print(f"created {count}", flush=True)
except OSError as e:
    print(f"stopped errno {e.errno} after {count}", flush=True)
