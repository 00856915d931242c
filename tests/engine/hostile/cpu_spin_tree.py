# CPU spread over a process tree: CHILDREN (argv[2]) processes spin until the kernel stops
# each; the parent waits for them and exits 0. Expected: the CPU limit covers the whole
# tree (LimitHit::Cpu). RLIMIT_CPU alone (per process) lets the tree use CHILDREN times
# the limit and end "successfully".
import os
import sys

children = int(sys.argv[2])
for _ in range(children):
    if os.fork() == 0:
        while True:
            pass
for _ in range(children):
    os.wait()
print("children done", flush=True)
