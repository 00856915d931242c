// The packed-refs file, read and written as git does (refs/packed-backend.c: a header
// line naming its traits, then "<oid> <name>" lines sorted by name, each optionally
// followed by "^<peeled oid>"), so node references can be written many at a time.
#include "engine/git/PackedReferences.h"

#include "engine/git/Error.h"
#include "engine/git/LockFile.h"

#include <git2.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>

namespace clade::git {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDefaultHeader = "# pack-refs with: peeled fully-peeled sorted ";

bool isHex40(std::string_view text)
{
    return text.size() == 40 && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

bool isValidName(const std::string& name)
{
    int valid = 0;
    return name.rfind("refs/", 0) == 0 && git_reference_name_is_valid(&valid, name.c_str()) == 0 &&
           valid;
}

[[noreturn]] void fail(const fs::path& gitDir, const std::string& what, int errnoValue)
{
    throw GitException("cannot " + what + " in " + gitDir.string(),
                       Error{GIT_ERROR, GIT_ERROR_OS, std::strerror(errnoValue)});
}

std::string render(const PackedReferencesFile& file)
{
    // An existing file's traits are kept: "fully-peeled" must not be claimed for entries
    // written without their peeled lines.
    std::string text = (file.header.empty() ? std::string(kDefaultHeader) : file.header) + "\n";
    for (const auto& ref : file.refs) {
        text += ref.target + " " + ref.name + "\n";
        if (!ref.peeled.empty())
            text += "^" + ref.peeled + "\n";
    }
    return text;
}

// Rewrites packed-refs under packed-refs.lock: whoever creates the lock owns the update,
// the file is read only once the lock is held (so no other writer's entries are lost),
// and the rename publishes the whole new file at once.
template <class Edit>
bool rewriteLocked(const fs::path& gitDir, Edit edit, bool sync)
{
    auto lock = LockFile::acquire(gitDir / "packed-refs", "write packed-refs in " + gitDir.string());
    if (!lock)
        return false;
    PackedReferencesFile file = readPackedReferences(gitDir);
    edit(file);
    lock->commit(render(file), sync);
    return true;
}

} // namespace

PackedReferencesFile readPackedReferences(const fs::path& gitDir)
{
    PackedReferencesFile file;
    std::ifstream in(gitDir / "packed-refs", std::ios::binary);
    bool first = true;
    for (std::string line; std::getline(in, line); first = false) {
        if (first && line.rfind("# pack-refs with:", 0) == 0) {
            file.header = line;
            continue;
        }
        if (line.size() == 41 && line[0] == '^' && isHex40(std::string_view(line).substr(1)) &&
            !file.refs.empty() && file.refs.back().peeled.empty()) {
            file.refs.back().peeled = line.substr(1);
            continue;
        }
        const std::string_view view(line);
        if (line.size() > 41 && line[40] == ' ' && isHex40(view.substr(0, 40)) &&
            isValidName(line.substr(41))) {
            file.refs.push_back({line.substr(41), line.substr(0, 40), {}});
            continue;
        }
        ++file.damagedLines;
    }
    return file;
}

bool addPackedReferences(const fs::path& gitDir, const std::vector<std::pair<std::string, Oid>>& refs,
                         bool sync)
{
    if (refs.empty())
        return true;
    for (const auto& [name, target] : refs)
        if (!isValidName(name))
            throw GitException("cannot set reference " + name + " in " + gitDir.string(),
                               Error{GIT_EINVALIDSPEC, GIT_ERROR_REFERENCE, "invalid reference name"});
    const auto add = [&](PackedReferencesFile& file) {
        std::map<std::string, PackedReference> byName;
        for (auto& ref : file.refs)
            byName[ref.name] = std::move(ref);
        for (const auto& [name, target] : refs)
            byName[name] = {name, target.hex(), {}};
        file.refs.clear();
        for (auto& [name, ref] : byName) // a std::map: sorted by name, as the header says
            file.refs.push_back(std::move(ref));
    };
    return rewriteLocked(gitDir, add, sync);
}

int dropDamagedPackedReferences(const fs::path& gitDir)
{
    const int damaged = readPackedReferences(gitDir).damagedLines;
    if (damaged == 0)
        return 0;
    // Reading leaves damaged lines out; writing back what was read drops them.
    if (!rewriteLocked(gitDir, [](PackedReferencesFile&) {}, /*sync=*/true))
        fail(gitDir, "repair packed-refs (packed-refs.lock exists)", EEXIST);
    return damaged;
}

} // namespace clade::git
