"""Client of the engine's model gateway, shared by the agent (solve) and propose.py.

Inside the sandbox there is no network. A phase listed in the manifest's "llm_gateway"
gets a unix stream socket instead, named by $CLADE_LLM_SOCKET (normally
/run/clade/llm.sock), that speaks HTTP/1.1: POST /v1/chat/completions with an OpenAI-style
body {"messages": [...], "max_tokens": n, "temperature": t}. The engine adds the API key
upstream, uses the run's model ($CLADE_LLM_MODEL, informational here), counts tokens and
cost, and closes the connection after each response. Answers: 200 with an OpenAI chat
completion; errors are {"error": {"message", "type"}} with 400 (bad request), 402 (the
run's cost budget is spent), 502 (the provider failed after the engine's retries) or 503
(the engine is stopping).

This file is protected: a candidate cannot change how it reaches the model.
"""

import dataclasses
import http.client
import json
import os
import socket

SOCKET_VARIABLE = "CLADE_LLM_SOCKET"
NO_GATEWAY_MESSAGE = ("no model gateway: run this example with --llm-provider/--llm-model "
                      "(see README)")
# Generous: the engine retries a failing provider before it answers 502.
DEFAULT_TIMEOUT_SECONDS = 300


class NoGateway(RuntimeError):
    """$CLADE_LLM_SOCKET is not set: the run has no model, or the phase is not in llm_gateway."""


class GatewayError(Exception):
    """The gateway answered with an error, or could not be reached (status None)."""

    def __init__(self, status, message):
        super().__init__(f"HTTP {status}: {message}" if status else message)
        self.status = status


class BudgetSpent(GatewayError):
    """402: every further call would fail the same way, so callers stop asking."""


class GatewayStopping(GatewayError):
    """503: the engine is shutting down; further calls are pointless."""


@dataclasses.dataclass
class Answer:
    text: str
    prompt_tokens: int
    completion_tokens: int


class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, socket_path, timeout):
        super().__init__("localhost", timeout=timeout)
        self._socket_path = socket_path

    def connect(self):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self._socket_path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


def chat(messages, max_tokens=None, temperature=None, timeout=DEFAULT_TIMEOUT_SECONDS):
    """Sends one chat completion request; returns an Answer or raises GatewayError/NoGateway."""
    socket_path = os.environ.get(SOCKET_VARIABLE)
    if not socket_path:
        raise NoGateway(NO_GATEWAY_MESSAGE)
    request = {"messages": messages}
    if max_tokens is not None:
        request["max_tokens"] = max_tokens
    if temperature is not None:
        request["temperature"] = temperature
    body = json.dumps(request).encode("utf-8")

    connection = _UnixHTTPConnection(socket_path, timeout)
    try:
        connection.request("POST", "/v1/chat/completions", body=body,
                           headers={"Content-Type": "application/json",
                                    "Content-Length": str(len(body))})
        response = connection.getresponse()
        status, payload = response.status, response.read()
    except (OSError, http.client.HTTPException) as e:
        raise GatewayError(None, f"cannot talk to the model gateway at {socket_path}: "
                                 f"{type(e).__name__}: {e}") from None
    finally:
        connection.close()

    try:
        data = json.loads(payload)
    except ValueError:
        data = None
    if status != 200:
        raise _error_for(status, data, payload)
    try:
        text = data["choices"][0]["message"]["content"]
        if not isinstance(text, str):
            raise TypeError("content is not a string")
    except (KeyError, IndexError, TypeError) as e:
        raise GatewayError(status, f"malformed chat completion ({type(e).__name__}: {e})") from None
    usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
    return Answer(text, _count(usage.get("prompt_tokens")), _count(usage.get("completion_tokens")))


def _error_for(status, data, payload):
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict) and error.get("message"):
        message = str(error["message"])
    else:
        message = payload[:200].decode("utf-8", "replace") or "(empty body)"
    kind = {402: BudgetSpent, 503: GatewayStopping}.get(status, GatewayError)
    return kind(status, message)


def _count(value):
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
