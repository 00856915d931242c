#include "models/DecisionSender.h"

#include "engine/git/Oid.h"
#include "engine/git/Repository.h"
#include "engine/review/HandEdit.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <filesystem>

namespace clade::models {
namespace {

using Result = DecisionSender::Result;

Result send(const std::filesystem::path& runDir, const engine::DecisionRequest& request)
{
    Result result;
    result.nodeId = request.nodeId;
    result.action = QString::fromStdString(request.action);
    try {
        const engine::DecisionReceipt receipt = engine::submitDecision(runDir, request);
        result.ok = true;
        result.appliedNow = receipt.appliedNow;
        result.text = QString::fromStdString(receipt.outcome);
    } catch (const std::exception& error) {
        // InputError carries the sentence for a person; anything else is shown as it is.
        result.text = QString::fromStdString(error.what());
    }
    return result;
}

} // namespace

DecisionSender::DecisionSender(QObject* parent) : QObject(parent) {}

DecisionSender::~DecisionSender()
{
    for (auto& future : m_running)
        future.waitForFinished();
}

void DecisionSender::submit(engine::DecisionRequest request)
{
    const std::filesystem::path runDir = m_folder.toStdString();
    track(QtConcurrent::run([runDir, request = std::move(request)] { return send(runDir, request); }));
}

void DecisionSender::submitHandEdit(int nodeId, const std::string& baseCommit,
                                    std::map<std::string, std::optional<std::string>> files,
                                    const QString& description, const QString& note)
{
    const std::filesystem::path runDir = m_folder.toStdString();
    track(QtConcurrent::run([runDir, nodeId, baseCommit, files = std::move(files),
                             description = description.toStdString(), note = note.toStdString()] {
        engine::DecisionRequest request;
        request.nodeId = nodeId;
        request.action = engine::DecisionAction::Edit;
        request.note = note;
        try {
            // A repository handle of this thread's own (libgit2 handles are not shared).
            auto repo = git::Repository::openBare(runDir / "repo.git");
            const git::Oid commit = engine::commitHandEdit(repo, git::Oid::fromHex(baseCommit),
                                                           files, description);
            request.payload = {{"commit", commit.hex()}, {"description", description}};
        } catch (const std::exception& error) {
            return Result{nodeId, QString::fromStdString(request.action), false, false,
                          QString::fromStdString(error.what())};
        }
        return send(runDir, request);
    }));
}

void DecisionSender::track(QFuture<Result> future)
{
    const bool wasBusy = isBusy();
    m_running.push_back(future);
    auto* watcher = new QFutureWatcher<Result>(this);
    connect(watcher, &QFutureWatcher<Result>::finished, this, [this, watcher] {
        const Result result = watcher->result();
        watcher->deleteLater();
        std::erase_if(m_running, [](const QFuture<Result>& f) { return f.isFinished(); });
        if (result.ok)
            Q_EMIT submitted(result.nodeId, result.action, result.text, result.appliedNow);
        else
            Q_EMIT failed(result.nodeId, result.action, result.text);
        if (!isBusy())
            Q_EMIT busyChanged(false);
    });
    watcher->setFuture(future);
    if (!wasBusy)
        Q_EMIT busyChanged(true);
}

} // namespace clade::models
