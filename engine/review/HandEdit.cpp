#include "engine/review/HandEdit.h"

#include "engine/git/Repository.h"
#include "engine/review/Decisions.h"
#include "engine/util/InputError.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <unistd.h>

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

// A folder of our own under the system's temporary folder, removed on every exit path.
struct WorkFolder {
    fs::path path;
    WorkFolder()
    {
        static std::atomic<int> counter{0};
        path = fs::temp_directory_path() /
               ("clade-hand-edit-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~WorkFolder()
    {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

} // namespace

git::Oid commitHandEdit(git::Repository& repo, const git::Oid& base,
                        const std::map<std::string, std::optional<std::string>>& files,
                        const std::string& message)
{
    for (const auto& [path, content] : files)
        requireAgentPath(path);
    WorkFolder work;
    repo.checkout(base, work.path);
    for (const auto& [path, content] : files) {
        const fs::path target = work.path / path;
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
    return repo.commitDirectory(work.path, {base}, message, {}, author);
}

} // namespace clade::engine
