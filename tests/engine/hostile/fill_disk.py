# Disk filling: writes into folder argv[2] until the kernel refuses, counting either bytes
# (argv[3] == "bytes", one growing file) or inodes (empty files). Prints statvfs first.
# Expected: /tmp refuses at its size; a mount without a size runs until a limit stops it.
import os
import sys

folder, mode = sys.argv[2], sys.argv[3]
st = os.statvfs(folder)
print(f"statvfs bytes {st.f_blocks * st.f_frsize} inodes {st.f_files}", flush=True)
count = 0
try:
    if mode == "bytes":
        fd = os.open(os.path.join(folder, "fill.bin"), os.O_WRONLY | os.O_CREAT, 0o600)
        block = b"z" * (1 << 20)
        while True:
            count += os.write(fd, block)
            if count % (64 << 20) == 0:
                print(f"wrote {count}", flush=True)
    else:
        while True:
            os.close(os.open(os.path.join(folder, f"f{count}"), os.O_WRONLY | os.O_CREAT, 0o600))
            count += 1
            if count % 20000 == 0:
                print(f"created {count}", flush=True)
except OSError as e:
    print(f"stopped errno {e.errno} after {count}", flush=True)
