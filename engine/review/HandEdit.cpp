#include "engine/review/HandEdit.h"

#include "engine/git/Repository.h"
#include "engine/review/Decisions.h"
#include "engine/util/InputError.h"

#include <QDir>
#include <QTemporaryDir>

#include <filesystem>
#include <fstream>

namespace clade::engine {
namespace fs = std::filesystem;

namespace {

// "src/a.py" yes; "", "/etc/x", "a/../../b", "a//b", ".git/config" no.
void requireAgentPath(const std::string& path)
{
    const fs::path p(path);
    bool ok = !path.empty() && p.is_relative();
    for (const auto& part : p)
        ok = ok && !part.empty() && part != ".." && part != "." && part != ".git";
    if (!ok)
        throw InputError("hand edit: '" + path +
                         "' is not a path inside the agent folder (expected a relative path "
                         "without '..', like 'src/solve.py')");
}

} // namespace

git::Oid commitHandEdit(git::Repository& repo, const git::Oid& base,
                        const std::map<std::string, std::optional<std::string>>& files,
                        const std::string& message)
{
    for (const auto& [path, content] : files)
        requireAgentPath(path);
    const QTemporaryDir work(QDir::tempPath() + "/clade-hand-edit-XXXXXX"); // removed on every exit
    if (!work.isValid())
        throw std::runtime_error("hand edit: cannot create a temporary folder: " +
                                 work.errorString().toStdString());
    const fs::path folder = work.path().toStdString();
    repo.checkout(base, folder);
    for (const auto& [path, content] : files) {
        const fs::path target = folder / path;
        if (!content) {
            fs::remove(target);
            continue;
        }
        fs::create_directories(target.parent_path());
        std::ofstream out(target, std::ios::binary | std::ios::trunc);
        out.write(content->data(), static_cast<std::streamsize>(content->size()));
        if (!out)
            throw std::runtime_error("hand edit: cannot write " + target.string());
    }
    git::Signature author;
    author.name = currentUserName();
    author.email = author.name + "@localhost";
    return repo.commitDirectory(folder, {base}, message, {}, author);
}

} // namespace clade::engine
