# Writes outside the scratch folder: creates a file in each folder of argv[3:] (/, /usr,
# a host folder under /tmp, /proc/sys, the read-only harness mount), tampers with the
# harness (chmod, unlink, rename, hard link, remount read-write), then recreates the host
# folder argv[2] in the sandbox's private /tmp and writes there.
# Expected: every attempt is "blocked" except the private /tmp; the host is unchanged.
import ctypes
import os
import sys

name = "clade-hostile-pwned"

def attempt(what, action):
    try:
        action()
        print(f"written {what}", flush=True)
    except OSError as e:
        print(f"blocked {what}: {e.strerror}", flush=True)

def create(path):
    with open(path, "w") as f:
        f.write("pwned\n")

for folder in sys.argv[3:]:
    attempt(folder, lambda: create(os.path.join(folder, name)))
attempt("/proc/sys/kernel/hostname", lambda: create("/proc/sys/kernel/hostname"))
attempt("/proc/sysrq-trigger", lambda: create("/proc/sysrq-trigger"))
attempt("chmod /harness", lambda: os.chmod("/harness/write_outside.py", 0o777))
attempt("unlink /harness", lambda: os.unlink("/harness/write_outside.py"))
attempt("rename /harness", lambda: os.rename("/harness/write_outside.py", "/harness/x"))
attempt("link /harness", lambda: os.link("/harness/write_outside.py", "/output/hard"))

libc = ctypes.CDLL(None, use_errno=True)
MS_REMOUNT, MS_BIND = 32, 4096

def remount():
    if libc.mount(None, b"/harness", None, MS_REMOUNT | MS_BIND, None) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))

attempt("remount /harness", remount)
host = sys.argv[2]
try:
    os.makedirs(host, exist_ok=True)
    create(os.path.join(host, name))
    print(f"private {host}", flush=True)
except OSError as e:
    print(f"blocked private {host}: {e.strerror}", flush=True)
