# Fork bomb: forks as fast as it can, forever, and keeps retrying when the kernel says no.
# Each child ignores SIGTERM/SIGHUP and blocks, so on a host without a pids limit the bomb
# grows only as fast as one core can fork and the wall limit ends it without harming the
# machine. Expected: the pids limit stops it (LimitHit::Pids); nothing survives.
import os
import signal
import sys

started = 0
refused = False
while True:
    try:
        pid = os.fork()
    except OSError as e:
        if not refused:
            refused = True
            print(f"refused after {started}: errno {e.errno}", flush=True)
        continue
    if pid == 0:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        while True:
            signal.pause()
    started += 1
