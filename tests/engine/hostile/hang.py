# Hang: ignores SIGTERM and SIGHUP and sleeps forever without using any CPU.
# Expected: the wall-clock limit stops it (LimitHit::Wall).
import signal

for sig in (signal.SIGTERM, signal.SIGHUP):
    signal.signal(sig, signal.SIG_IGN)
while True:
    signal.pause()
