# Host secrets: reads each host path in argv[2:] directly, through /proc/*/root and
# /proc/*/cwd, and lists /, /tmp and /root looking for them.
# Expected: every read fails ("denied"), nothing is "read".
import os
import sys

def attempt(path):
    try:
        with open(path, "rb") as f:
            print(f"read {path}: {f.read(200)!r}", flush=True)
    except OSError as e:
        print(f"denied {path}: {e.strerror}", flush=True)

for path in sys.argv[2:]:
    attempt(path)
    for pid in [p for p in os.listdir("/proc") if p.isdigit()] + ["self"]:
        attempt(f"/proc/{pid}/root{path}")
        attempt(f"/proc/{pid}/cwd/../../../..{path}")
for folder in ("/", "/tmp", "/root", "/home"):
    try:
        print(f"list {folder}: {sorted(os.listdir(folder))}", flush=True)
    except OSError as e:
        print(f"denied {folder}: {e.strerror}", flush=True)
