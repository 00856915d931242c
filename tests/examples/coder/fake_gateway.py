"""A scripted stand-in for the engine's model gateway: HTTP/1.1 on a unix socket.

It records every request and answers through a function the test gives, which returns
(status, JSON payload). Like the engine, it closes the connection after each response.
"""

import http.server
import json
import os
import shutil
import socketserver
import tempfile
import threading


def completion(text):
    """A 200 payload as the gateway sends it (an OpenAI chat completion)."""
    return 200, {"choices": [{"message": {"role": "assistant", "content": text},
                              "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 100, "completion_tokens": 50}, "model": "fake-model"}


def error(status, message, kind="error"):
    return status, {"error": {"message": message, "type": kind}}


class FakeGateway:
    def __init__(self, respond):
        """respond(body, index) -> (status, payload); index counts requests from 0."""
        self.respond = respond
        self.requests = []
        self._lock = threading.Lock()
        # A short folder: unix socket paths are limited to about 100 bytes.
        self.folder = tempfile.mkdtemp(prefix="gw", dir="/tmp")
        self.socket_path = os.path.join(self.folder, "llm.sock")
        self.server = socketserver.ThreadingUnixStreamServer(self.socket_path, self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _handler(self):
        gateway = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with gateway._lock:
                    index = len(gateway.requests)
                    gateway.requests.append({"path": self.path, "headers": dict(self.headers),
                                             "body": body})
                status, payload = gateway.respond(body, index)
                data = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(data)
                self.close_connection = True

            def log_message(self, *args):
                pass  # unix socket peers have no address to print

        return Handler

    def env(self):
        return {"CLADE_LLM_SOCKET": self.socket_path, "CLADE_LLM_MODEL": "fake-model"}

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
