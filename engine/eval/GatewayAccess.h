#pragma once

#include "engine/llm/Usage.h"
#include "engine/sandbox/SandboxSpec.h"

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace clade::llm {
class LlmClient;
class LlmGateway;
} // namespace clade::llm

namespace clade::engine {

class ScratchSpace;

/// Lets a sandboxed phase call the run's model through the gateway (the manifest's
/// llm_gateway): a socket in a scratch folder bind-mounted at /run/clade, CLADE_LLM_SOCKET
/// and CLADE_LLM_MODEL set; never the key and never a network. One per worker thread;
/// what the phases' calls cost adds up until taken for the node they were made for.
class GatewayAccess {
public:
    GatewayAccess(llm::LlmClient& client, llm::CostBudget& budget, ScratchSpace& scratch,
                  const std::atomic<bool>* cancel);
    ~GatewayAccess();

    /// Serves one phase while it lives.
    class Lease {
    public:
        Lease(Lease&&) noexcept;
        ~Lease();

    private:
        friend class GatewayAccess;
        Lease(GatewayAccess& owner, std::filesystem::path folder,
              std::unique_ptr<llm::LlmGateway> gateway, std::string phase);
        GatewayAccess* m_owner;
        std::filesystem::path m_folder;
        std::unique_ptr<llm::LlmGateway> m_gateway;
        std::string m_phase;
    };

    /// Opens a gateway for `phase` ("propose", "solve") and adds its mount and environment
    /// to `spec`.
    Lease open(SandboxSpec& spec, const std::string& phase);

    /// The calls of the phases closed since the last take, and their log lines.
    llm::UsageTotals takeUsage();
    std::string takeLog();
    /// The provider refused the run's key or model during a phase closed since the last
    /// take (LlmGateway::configurationError): the run must stop.
    std::optional<std::string> takeConfigurationError();
    bool configurationRefused() const { return m_configurationError.has_value(); }

private:
    llm::LlmClient& m_client;
    llm::CostBudget& m_budget;
    ScratchSpace& m_scratch;
    const std::atomic<bool>* m_cancel;
    llm::UsageTotals m_usage;
    std::string m_log;
    std::optional<std::string> m_configurationError;
};

} // namespace clade::engine
