#include "models/DiffLoader.h"

namespace clade::models {

DiffLoader::DiffLoader(QObject* parent)
    : QObject(parent), m_cancel(std::make_shared<std::atomic_bool>(false))
{
}

DiffLoader::~DiffLoader()
{
    m_cancel->store(true);
    m_running.waitForAll();
}

void DiffLoader::load(const std::filesystem::path& repo, const std::string& oldCommit,
                      const std::string& newCommit)
{
    cancel();
    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_loading = true;
    const quint64 request = m_request;
    m_running.add(runAsync(
        this,
        [repo, oldCommit, newCommit, cancel = m_cancel] {
            return git::computeDiff(repo, oldCommit, newCommit, cancel.get());
        },
        [this, request](git::DiffResult result) { onLoaded(request, std::move(result)); },
        [this, request](const QString& error) {
            git::DiffResult result;
            result.error = error.toStdString();
            onLoaded(request, std::move(result));
        }));
}

void DiffLoader::cancel()
{
    m_cancel->store(true);
    ++m_request; // whatever comes back now is stale
    m_loading = false;
}

void DiffLoader::onLoaded(quint64 request, git::DiffResult result)
{
    if (request != m_request)
        return;
    m_loading = false;
    Q_EMIT loaded(std::make_shared<const git::DiffResult>(std::move(result)));
}

} // namespace clade::models
