#pragma once

#include <dirent.h>
#include <memory>

namespace clade::engine {

struct DirCloser {
    void operator()(DIR* dir) const noexcept { ::closedir(dir); }
};

/// An open folder listing (opendir, fdopendir), closed when it goes.
using UniqueDir = std::unique_ptr<DIR, DirCloser>;

} // namespace clade::engine
