#include "engine/store/RunFolder.h"

#include "engine/util/InputError.h"

namespace clade::engine {

void RunFolder::requireValid() const
{
    namespace fs = std::filesystem;
    if (!fs::is_directory(root))
        throw InputError(root.string() + ": no such run folder (expected a folder made by "
                                         "`clade run`)");
    for (const auto& [path, what] :
         {std::pair{runJson(), "run.json"}, {database(), "clade.db"}, {repo(), "repo.git/"}})
        if (!fs::exists(path))
            throw InputError(root.string() + ": not a clade run folder: " + what +
                             " is missing (expected run.json, clade.db and repo.git/)");
}

} // namespace clade::engine
