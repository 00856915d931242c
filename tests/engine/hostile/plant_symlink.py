# Traps where the engine reads results (argv[2] is the writable mount): description.txt
# as a symlink to a host secret (argv[3]), a symlinked folder toward the secret's folder
# (argv[4]), a FIFO that would block a naive reader, a 10 GB sparse file, and one honest
# file. Expected: the engine's readSandboxFile refuses every trap and caps the big file.
import os
import sys

out, secret, secret_dir = sys.argv[2], sys.argv[3], sys.argv[4]
os.symlink(secret, os.path.join(out, "description.txt"))
os.symlink("../../../../../../.." + secret, os.path.join(out, "relative.txt"))
os.symlink(secret_dir, os.path.join(out, "sub"))
os.mkfifo(os.path.join(out, "result.fifo"))
with open(os.path.join(out, "big.txt"), "wb") as f:
    f.truncate(10 << 30)
with open(os.path.join(out, "ok.txt"), "w") as f:
    f.write("honest\n")
print("planted", flush=True)
