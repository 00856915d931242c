# Network escape: connects to a listener the test opened on the host's loopback
# (127.0.0.1:argv[2]), to the same port over IPv6 and by name, and to the host's abstract
# unix socket argv[3]. Expected: every attempt fails ("blocked"), nothing "connected".
import socket
import sys

port, abstract = int(sys.argv[2]), sys.argv[3]
targets = [
    (socket.AF_INET, ("127.0.0.1", port)),
    (socket.AF_INET6, ("::1", port)),
    (socket.AF_INET, ("localhost", port)),
    (socket.AF_UNIX, "\0" + abstract),
]
for family, address in targets:
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(2)
    try:
        s.connect(address)
        print(f"connected {address!r}", flush=True)
    except OSError as e:
        print(f"blocked {address!r}: {e}", flush=True)
    finally:
        s.close()
