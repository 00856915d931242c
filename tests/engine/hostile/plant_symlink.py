# Traps where the engine reads results (argv[2] is the writable mount): description.txt
# as a symlink to a host secret (argv[3]), a symlinked folder toward the secret's folder
# (argv[4]), a FIFO that would block a naive reader, a 10 GB sparse file (or as big as
# RLIMIT_FSIZE allows), and one honest file. Expected: the engine's readSandboxFile refuses
# every trap and caps the big file.
import os
import resource
import sys

out, secret, secret_dir = sys.argv[2], sys.argv[3], sys.argv[4]
os.symlink(secret, os.path.join(out, "description.txt"))
os.symlink("../../../../../../.." + secret, os.path.join(out, "relative.txt"))
os.symlink(secret_dir, os.path.join(out, "sub"))
os.mkfifo(os.path.join(out, "result.fifo"))
with open(os.path.join(out, "big.txt"), "wb") as f:
    # As big as allowed: RLIMIT_FSIZE (the disk watchdog's per-file cap) may be lower.
    cap = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    f.truncate(10 << 30 if cap == resource.RLIM_INFINITY else min(10 << 30, cap))
with open(os.path.join(out, "ok.txt"), "w") as f:
    f.write("honest\n")
print("planted", flush=True)
