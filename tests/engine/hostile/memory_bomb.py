# Memory bomb: one process grows by 32 MB at a time, touching every page, forever.
# Expected: the memory limit stops it (LimitHit::Memory under a memory cgroup; with only
# RLIMIT_AS the allocation fails with MemoryError), and "allocated" is never printed.
import sys

chunks = []
while True:
    chunks.append(b"\x01" * (32 << 20))
    print(f"holding {len(chunks) * 32} MB", flush=True)
    if len(chunks) * 32 >= 2048:
        print("allocated", flush=True)
        sys.exit(0)
