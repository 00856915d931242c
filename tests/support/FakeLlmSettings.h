#pragma once
// What the tests of engine/llm share to point a model client at a FakeLlmServer: settings
// with the key's variable, the fixture price table, and a scripted answer.

#include "engine/llm/LlmSettings.h"
#include "engine/llm/PriceTable.h"
#include "support/FakeLlmServer.h"
#include "support/LlmFixtures.h"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace testsupport {

/// The variable a test puts llmfixtures::kApiKey in.
inline constexpr const char* kKeyVar = "CLADE_TST_LLM_KEY";

/// A client of `server` in `provider`'s API, its key in kKeyVar.
inline clade::llm::LlmSettings settingsFor(const FakeLlmServer& server,
                                           clade::llm::ProviderKind provider,
                                           const std::string& model)
{
    clade::llm::LlmSettings s;
    s.provider = provider;
    s.baseUrl = provider == clade::llm::ProviderKind::OpenAi ? server.url("/v1") : server.url();
    s.model = model;
    s.keyEnv = kKeyVar;
    s.timeoutSeconds = 5;
    s.concurrency = 4;
    s.maxRetries = 3;
    // Small, so retries cost the test milliseconds.
    s.backoffInitialMs = 5;
    s.backoffMaxMs = 20;
    return s;
}

inline clade::llm::PriceTable fixturePrices()
{
    return clade::llm::PriceTable::fromJson(nlohmann::json::parse(llmfixtures::kPriceTable),
                                            "prices.json");
}

inline FakeHttpResponse answer(int status, std::string body,
                               std::vector<std::pair<std::string, std::string>> headers = {})
{
    FakeHttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    return response;
}

} // namespace testsupport
