#include "engine/run/SandboxSession.h"

#include "engine/run/SandboxWarning.h"
#include "engine/sandbox/Sandbox.h"
#include "engine/store/RunStore.h"

#include <QString>
#include <QSysInfo>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace clade::engine {
namespace {

constexpr const char* kMetaKey = "sandbox_session";

} // namespace

SandboxSession recordSandboxSession(RunStore& store, const Sandbox& sandbox)
{
    SandboxSession session;
    session.backend = sandbox.name();
    session.unenforced = sandbox.unenforcedLimits();
    session.host = QSysInfo::machineHostName().toStdString();
    session.startedAt = unixNow();
    const nlohmann::json record{{"backend", session.backend},
                                {"unenforced", session.unenforced},
                                {"host", session.host},
                                {"started_at", session.startedAt}};
    store.setMeta(kMetaKey, record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));

    const SandboxWarning warning = sandboxWarning(session.backend, session);
    if (warning.any())
        spdlog::warn("{}", warning.headline);
    for (const auto& limit : session.unenforced)
        spdlog::warn("sandbox {}: not enforced: {}", session.backend, limit);
    return session;
}

std::optional<SandboxSession> readSandboxSession(RunStore& store)
{
    const auto text = store.meta(kMetaKey);
    if (!text)
        return std::nullopt;
    const auto json = nlohmann::json::parse(*text, nullptr, false);
    if (!json.is_object())
        return std::nullopt;
    // A damaged record must not keep the run from opening: it reads as none.
    try {
        SandboxSession session;
        session.backend = json.value("backend", "");
        session.host = json.value("host", "");
        session.startedAt = json.value("started_at", 0.0);
        for (const auto& limit : json.value("unenforced", nlohmann::json::array()))
            session.unenforced.push_back(limit.get<std::string>());
        return session;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

} // namespace clade::engine
