#pragma once
// Canned provider answers for tst_llmclient. Raw strings live here because moc cannot
// parse them in a test's .cpp file.

namespace testsupport::llmfixtures {

// The test's API key: long and unusual, so finding it anywhere means a leak.
inline constexpr const char* kApiKey = "sk-clade-TEST-9f2b7c4e1a0d83";

inline constexpr const char* kOpenAiAnswer = R"({
  "id": "chatcmpl-body-id",
  "object": "chat.completion",
  "created": 1700000000,
  "model": "gpt-test-2024-01-01",
  "choices": [{
    "index": 0,
    "message": {"role": "assistant", "content": "def solve():\n    return 42\n"},
    "finish_reason": "stop"
  }],
  "usage": {
    "prompt_tokens": 1200,
    "completion_tokens": 300,
    "total_tokens": 1500,
    "prompt_tokens_details": {"cached_tokens": 1000, "audio_tokens": 0}
  }
})";

// llama.cpp and Ollama style: no usage block, null details.
inline constexpr const char* kOpenAiAnswerWithoutUsage = R"({
  "id": "local-1",
  "model": "qwen-local",
  "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "length"}]
})";

inline constexpr const char* kAnthropicAnswer = R"({
  "id": "msg_01BodyId",
  "type": "message",
  "role": "assistant",
  "model": "claude-test",
  "content": [
    {"type": "text", "text": "First part. "},
    {"type": "tool_use", "id": "toolu_1", "name": "x", "input": {}},
    {"type": "text", "text": "Second part."}
  ],
  "stop_reason": "end_turn",
  "stop_sequence": null,
  "usage": {
    "input_tokens": 50,
    "output_tokens": 40,
    "cache_creation_input_tokens": 10,
    "cache_read_input_tokens": 200
  }
})";

// OpenAI echoes part of a wrong key in its 401 message; this one echoes all of it, and a
// header-like line too, to prove the client redacts what the server says.
inline constexpr const char* kUnauthorizedEchoingKey = R"json({
  "error": {
    "message": "Incorrect API key provided: sk-clade-TEST-9f2b7c4e1a0d83 (sent as Authorization: Bearer sk-clade-TEST-9f2b7c4e1a0d83)",
    "type": "invalid_request_error",
    "code": "invalid_api_key"
  }
})json";

inline constexpr const char* kAnthropicNotFound = R"({
  "type": "error",
  "error": {"type": "not_found_error", "message": "model: claude-nonexistent"},
  "request_id": "req_404"
})";

inline constexpr const char* kRateLimitedEchoingKey = R"({
  "error": {"message": "Rate limit reached for key sk-clade-TEST-9f2b7c4e1a0d83", "type": "rate_limit_error"}
})";

inline constexpr const char* kServerError =
    R"({"error": {"message": "upstream overloaded", "type": "server_error"}})";

inline constexpr const char* kPriceTable = R"({
  "gpt-test": {"input": 2.0, "output": 8.0, "cached_input": 0.5},
  "claude-test": {"input": 3.0, "output": 15.0, "cached_input": 0.3},
  "no-cache-rate": {"input": 1.0, "output": 2.0}
})";

} // namespace testsupport::llmfixtures
