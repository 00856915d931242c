#include "engine/eval/GatewayAccess.h"

#include "engine/llm/LlmClient.h"
#include "engine/llm/LlmGateway.h"
#include "engine/util/ScratchSpace.h"

namespace clade::engine {

GatewayAccess::GatewayAccess(llm::LlmClient& client, llm::CostBudget& budget,
                             ScratchSpace& scratch, const std::atomic<bool>* cancel)
    : m_client(client), m_budget(budget), m_scratch(scratch), m_cancel(cancel)
{
}

GatewayAccess::~GatewayAccess() = default;

GatewayAccess::Lease::Lease(GatewayAccess& owner, std::filesystem::path folder,
                            std::unique_ptr<llm::LlmGateway> gateway, std::string phase)
    : m_owner(&owner), m_folder(std::move(folder)), m_gateway(std::move(gateway)),
      m_phase(std::move(phase))
{
}

GatewayAccess::Lease::Lease(Lease&& other) noexcept
    : m_owner(std::exchange(other.m_owner, nullptr)), m_folder(std::move(other.m_folder)),
      m_gateway(std::move(other.m_gateway)), m_phase(std::move(other.m_phase))
{
}

GatewayAccess::Lease::~Lease()
{
    if (!m_owner)
        return;
    const llm::UsageTotals usage = m_gateway->usage();
    const std::string log = m_gateway->log();
    if (auto error = m_gateway->configurationError(); error && !m_owner->m_configurationError)
        m_owner->m_configurationError = std::move(error);
    m_gateway.reset(); // stops serving before the folder goes
    m_owner->m_usage.add(usage);
    if (!log.empty())
        m_owner->m_log += "=== " + m_phase + "\n" + log;
    m_owner->m_scratch.release(m_folder);
}

GatewayAccess::Lease GatewayAccess::open(SandboxSpec& spec, const std::string& phase)
{
    // Not sandbox-writable: the sandbox user connects to the socket (mode 0666), it never
    // needs to create anything beside it.
    const std::filesystem::path folder = m_scratch.makeFolder("gateway", false, {1, 16});
    auto gateway = std::make_unique<llm::LlmGateway>(m_client, m_budget, folder, m_cancel);
    const std::string inside = llm::LlmGateway::kInsideFolder;
    spec.mounts.push_back({folder, inside, false});
    spec.env["CLADE_LLM_SOCKET"] = inside + "/" + llm::LlmGateway::kSocketName;
    spec.env["CLADE_LLM_MODEL"] = m_client.settings().model;
    return Lease(*this, folder, std::move(gateway), phase);
}

llm::UsageTotals GatewayAccess::takeUsage()
{
    return std::exchange(m_usage, {});
}

std::optional<std::string> GatewayAccess::takeConfigurationError()
{
    return std::exchange(m_configurationError, std::nullopt);
}

std::string GatewayAccess::takeLog()
{
    return std::exchange(m_log, {});
}

} // namespace clade::engine
