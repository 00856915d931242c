#include "engine/importers/ImportedText.h"

#include "engine/util/Utf8Text.h"

namespace clade::engine {
namespace {

// Repairs `text` in place; the bytes that were not UTF-8.
int repair(std::string& text)
{
    int invalid = 0;
    if (!isValidUtf8(text))
        text = toValidUtf8(text, &invalid);
    return invalid;
}

// Repairs the keys of a name -> value map. Two names that differ only in their invalid
// bytes become one; the first is kept and `collided` counts the others.
template <typename Map> int repairKeys(Map& map, int& collided)
{
    bool anyInvalid = false;
    for (const auto& entry : map)
        anyInvalid = anyInvalid || !isValidUtf8(entry.first);
    if (!anyInvalid)
        return 0;
    int invalid = 0;
    Map repaired;
    for (auto& [key, value] : map) {
        std::string name = key;
        invalid += repair(name);
        if (!repaired.emplace(std::move(name), std::move(value)).second)
            ++collided;
    }
    map = std::move(repaired);
    return invalid;
}

} // namespace

void repairImportedText(ImportedRun& run)
{
    std::vector<std::string> found;
    const auto note = [&found](const std::string& where, const std::string& what, int invalid) {
        if (invalid > 0)
            found.push_back(where + ": " + what + " held " + std::to_string(invalid) +
                            " byte(s) that are not UTF-8, replaced with U+FFFD");
    };
    note("the run", "its name", repair(run.name));
    for (auto& node : run.nodes) {
        const int idBytes = repair(node.sourceId);
        const std::string where = "node " + node.sourceId;
        note(where, "its id", idBytes);
        note(where, "its description", repair(node.description));
        note(where, "its error", repair(node.error));
        note(where, "its proposer", repair(node.proposer.kind) + repair(node.proposer.model));
        int collided = 0;
        note(where, "its metric names", repairKeys(node.metrics, collided));
        note(where, "its task ids", repairKeys(node.results, collided));
        note(where, "its file names", repairKeys(node.files, collided));
        note(where, "its artifact names", repairKeys(node.artifacts, collided));
        if (collided > 0)
            found.push_back(where + ": " + std::to_string(collided) +
                            " name(s) became the same as another once repaired; the first is kept");
    }
    // The warnings quote the source's names and text; repaired without a word of their own.
    for (auto& warning : run.warnings)
        repair(warning);
    run.warnings.insert(run.warnings.end(), found.begin(), found.end());
}

} // namespace clade::engine
