# CPU spin: ignores SIGXCPU, SIGTERM and SIGHUP and spins forever.
# Expected: the CPU limit stops it (LimitHit::Cpu), well before the wall limit.
import signal

for sig in (signal.SIGXCPU, signal.SIGTERM, signal.SIGHUP):
    signal.signal(sig, signal.SIG_IGN)
while True:
    pass
