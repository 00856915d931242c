#pragma once

#include "engine/store/RunFolder.h"

#include <QString>

#include <filesystem>

namespace clade::models {

/// The engine's layout of the run folder `folder` (repo.git, clade.db, artifacts/...):
/// views and models never spell a path inside a run themselves.
inline engine::RunFolder runFolderOf(const QString& folder)
{
    return engine::RunFolder{std::filesystem::path(folder.toStdString())};
}

/// A path the engine built, as Qt takes it.
inline QString qtPath(const std::filesystem::path& path)
{
    return QString::fromStdString(path.string());
}

} // namespace clade::models
