#include "engine/git/Error.h"

#include <git2.h>

namespace clade::git {

Error Error::last(int code)
{
    const git_error* error = git_error_last();
    if (!error || !error->message)
        return {code, GIT_ERROR_NONE, "unknown libgit2 error " + std::to_string(code)};
    return {code, error->klass, error->message};
}

GitException::GitException(const std::string& context, Error error)
    : std::runtime_error(context + ": " + error.message), m_error(std::move(error))
{
}

void throwLastError(int code, const std::string& action, git_repository* repo)
{
    Error error = Error::last(code);
    std::string context = "cannot " + action;
    if (repo) {
        // libgit2 reports the folder with a trailing slash; messages read better without.
        std::string path = git_repository_path(repo);
        if (path.size() > 1 && path.back() == '/')
            path.pop_back();
        context += " in " + path;
    }
    throw GitException(context, std::move(error));
}

} // namespace clade::git
