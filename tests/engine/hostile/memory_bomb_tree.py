# Memory bomb spread over a process tree: children each hold less than the per-process
# limit, together far more than the sandbox's limit. argv: MARKER CHILDREN MB_EACH.
# Expected: the sandbox's memory limit covers the whole tree (LimitHit::Memory), so
# "held" is never printed. RLIMIT_AS alone (per process) does not stop this.
import os
import signal
import sys

children, each = int(sys.argv[2]), int(sys.argv[3])
ready_r, ready_w = os.pipe()
pids = []
for _ in range(children):
    pid = os.fork()
    if pid == 0:
        block = b"\x01" * (each << 20)
        os.write(ready_w, b"1")
        while True:
            signal.pause()
    pids.append(pid)
got = 0
while got < children:
    data = os.read(ready_r, children)
    if not data:
        break
    got += len(data)
print(f"held {got * each} MB in {got} processes", flush=True)
for pid in pids:
    os.kill(pid, signal.SIGKILL)
