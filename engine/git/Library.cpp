#include "engine/git/Library.h"

#include "engine/git/Error.h"

#include <git2.h>

namespace clade::git {

void ensureInitialized()
{
    // A function-local static is initialized exactly once even under concurrent callers;
    // if initialization throws, the next caller tries again.
    static const bool initialized = [] {
        if (const int rc = git_libgit2_init(); rc < 0)
            throwLastError(rc, "initialize libgit2");
        if (const int rc = git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1); rc < 0)
            throwLastError(rc, "enable fsync in libgit2");
        return true;
    }();
    (void)initialized;
}

} // namespace clade::git
