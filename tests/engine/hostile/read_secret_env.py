# Secret environment: prints its own environment and every /proc/*/environ it can read,
# looking for the API key planted in the engine's environment.
# Expected: the engine's variables are nowhere (not even in bwrap's /proc/1/environ).
import os

print("environ:", sorted(os.environ.items()), flush=True)
pids = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
print("pids:", pids, flush=True)
for pid in pids + ["self", "thread-self"]:
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            print(f"/proc/{pid}/environ:", f.read().replace(b"\0", b" "), flush=True)
    except OSError as e:
        print(f"/proc/{pid}/environ: {e.strerror}", flush=True)
