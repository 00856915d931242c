#include "engine/sandbox/SandboxUser.h"

#include <pwd.h>
#include <unistd.h>
#include <vector>

namespace clade::engine {
namespace {

struct User {
    uid_t uid;
    gid_t gid;
    bool switches;
};

User lookUp()
{
    if (::geteuid() != 0)
        return {::geteuid(), ::getegid(), false};
    // Looked up once, before any fork: getpwnam is not async-signal-safe.
    passwd entry{};
    passwd* found = nullptr;
    std::vector<char> buffer(16384);
    if (::getpwnam_r(CLADE_SANDBOX_USER, &entry, buffer.data(), buffer.size(), &found) == 0 && found &&
        found->pw_uid != 0 && found->pw_gid != 0)
        return {found->pw_uid, found->pw_gid, true};
    return {65534, 65534, true}; // nobody / nogroup
}

const User& user()
{
    static const User cached = lookUp();
    return cached;
}

} // namespace

uid_t sandboxUid()
{
    return user().uid;
}

gid_t sandboxGid()
{
    return user().gid;
}

bool sandboxSwitchesUser()
{
    return user().switches;
}

} // namespace clade::engine
