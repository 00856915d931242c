# Infinite output: writes 64 KB blocks forever to stdout, stderr or both (argv[2]).
# Expected: the output cap stops it (LimitHit::Output) and exactly the cap is kept.
import os
import sys

which = sys.argv[2]
fds = {"stdout": [1], "stderr": [2], "both": [1, 2]}[which]
block = b"y" * 65536
while True:
    for fd in fds:
        os.write(fd, block)
