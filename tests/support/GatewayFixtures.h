#pragma once
// Requests and a sandboxed client for tst_llmgateway. Raw strings live here because moc
// cannot parse them in a test's .cpp file.

namespace testsupport::gatewayfixtures {

// What an agent sends: a model of its own choosing (ignored), text parts to join, and a
// forged credential that must never reach the provider.
inline constexpr const char* kChatBody = R"({
  "model": "sandbox-picked-model",
  "max_tokens": 100,
  "temperature": 0.5,
  "messages": [
    {"role": "system", "content": "You are terse."},
    {"role": "user", "content": [{"type": "text", "text": "Write "}, {"type": "text", "text": "solve()."}]}
  ]
})";
inline constexpr const char* kForgedKey = "sk-sandbox-FORGED-771";

inline constexpr const char* kSmallChatBody =
    R"({"messages": [{"role": "user", "content": "hi"}]})";

struct MalformedChat {
    const char* name;
    const char* body;
    const char* says; ///< part of the error message
};

inline constexpr MalformedChat kMalformedChats[] = {
    {"not json", "this is not json", "not valid JSON"},
    {"truncated", R"({"messages": [{"role": "user", "content": "x"})", "not valid JSON"},
    {"array", "[1, 2]", "not a JSON object"},
    {"no messages", "{}", "no messages"},
    {"empty messages", R"({"messages": []})", "no messages"},
    {"message not object", R"({"messages": ["hi"]})", "messages[0] is not an object"},
    {"tool role", R"({"messages": [{"role": "tool", "content": "x"}]})", "messages[0].role"},
    {"image part",
     R"({"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]})",
     "messages[0].content[0]"},
    {"number content", R"({"messages": [{"role": "user", "content": 7}]})", "messages[0].content"},
    {"max_tokens text", R"({"messages": [{"role": "user", "content": "x"}], "max_tokens": "many"})",
     "max_tokens"},
    {"max_tokens zero", R"({"messages": [{"role": "user", "content": "x"}], "max_tokens": 0})",
     "max_tokens"},
    {"temperature text",
     R"({"messages": [{"role": "user", "content": "x"}], "temperature": "hot"})", "temperature"},
    {"stream", R"({"messages": [{"role": "user", "content": "x"}], "stream": true})", "streaming"},
    {"stream text", R"({"messages": [{"role": "user", "content": "x"}], "stream": "yes"})",
     "streaming"},
};

// Runs in the sandbox: calls the model through the gateway with nothing but the standard
// library, then tries to reach the provider directly (argv[1] is its port on the host's
// 127.0.0.1), shows how /run/clade is mounted, and prints every environment it can read.
inline constexpr const char* kSandboxClient = R"PY(
import glob, http.client, json, os, socket, sys

class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__('localhost', timeout=20)
        self.unix_path = path
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)

conn = UnixConnection(os.environ['CLADE_LLM_SOCKET'])
body = json.dumps({'model': 'x', 'max_tokens': 64,
                   'messages': [{'role': 'user', 'content': 'Improve solve().'}]})
conn.request('POST', '/v1/chat/completions', body=body,
             headers={'Content-Type': 'application/json'})
response = conn.getresponse()
answer = json.loads(response.read())
print('status', response.status)
print('answer', json.dumps(answer['choices'][0]['message']['content']))
print('tokens', answer['usage']['prompt_tokens'], answer['usage']['completion_tokens'])

try:
    socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=3)
    print('tcp connected')
except OSError as e:
    print('tcp blocked', e)

for line in open('/proc/self/mountinfo'):
    fields = line.split()
    if fields[4] == '/run/clade':
        print('mount /run/clade', fields[5].split(',')[0])
try:
    open('/run/clade/planted', 'w')
    print('folder writable')
except OSError as e:
    print('folder not writable', e.errno)

print('environ', sorted(os.environ.items()))
for path in sorted(glob.glob('/proc/[0-9]*/environ')):
    try:
        print(path, open(path, 'rb').read())
    except OSError as e:
        print(path, 'unreadable', e.errno)
)PY";

} // namespace testsupport::gatewayfixtures
