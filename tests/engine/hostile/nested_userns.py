# Nested namespaces: unshare(CLONE_NEWUSER) through ctypes and `unshare -U`, then the
# namespaces that need CAP_SYS_ADMIN (mount, network). Expected: every one "refused".
import ctypes
import os
import subprocess

libc = ctypes.CDLL(None, use_errno=True)
flags = {"user": 0x10000000, "mount": 0x00020000, "net": 0x40000000}
for name, flag in flags.items():
    if libc.unshare(flag) == 0:
        print(f"created {name}", flush=True)
    else:
        print(f"refused {name}: {os.strerror(ctypes.get_errno())}", flush=True)
tool = subprocess.run(["/usr/bin/unshare", "-U", "/bin/true"], capture_output=True)
print("created unshare -U" if tool.returncode == 0 else "refused unshare -U", flush=True)
with open("/proc/sys/user/max_user_namespaces") as f:
    print("max_user_namespaces", f.read().strip(), flush=True)
