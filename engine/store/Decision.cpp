#include "engine/store/Decision.h"

namespace clade::engine {

nlohmann::json decisionToJson(const Decision& d)
{
    return {{"id", d.id},     {"node", d.nodeId}, {"action", d.action},  {"who", d.who},
            {"time", d.time}, {"note", d.note},   {"details", d.payload}};
}

} // namespace clade::engine
