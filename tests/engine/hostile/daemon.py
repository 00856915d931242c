# Double fork + setsid daemon: the grandchild leaves the session, ignores SIGHUP/SIGTERM,
# (argv[3] == "close") lets go of the output pipes, and writes a heartbeat to argv[2]
# forever; the command itself exits 0 once the daemon has beaten once.
# Expected: run() returns promptly with exit 0 and no process of the sandbox survives it.
import os
import signal
import sys
import time

beat, mode = sys.argv[2], sys.argv[3]
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        os.chdir("/")
        if mode == "close":
            null = os.open("/dev/null", os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
        while True:
            with open(beat, "a") as f:
                f.write("beat\n")
            time.sleep(0.05)
    os._exit(0)
os.wait()
while not os.path.exists(beat):
    time.sleep(0.01)
print("parent exits", flush=True)
