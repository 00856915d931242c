#include "models/DecisionSender.h"

#include "engine/git/Oid.h"
#include "engine/git/Repository.h"
#include "engine/review/HandEdit.h"
#include "models/RunPaths.h"

#include <filesystem>

namespace clade::models {
namespace {

using Result = DecisionSender::Result;

Result submitNow(const engine::RunFolder& run, const engine::DecisionRequest& request)
{
    Result result;
    result.nodeId = request.nodeId;
    result.action = QString::fromStdString(request.action);
    try {
        const engine::DecisionReceipt receipt = engine::submitDecision(run.root, request);
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
    m_running.waitForAll();
}

void DecisionSender::submit(engine::DecisionRequest request)
{
    const int nodeId = request.nodeId;
    const std::string action = request.action;
    send(nodeId, action, [run = runFolderOf(m_folder), request = std::move(request)] {
        return submitNow(run, request);
    });
}

void DecisionSender::submitHandEdit(int nodeId, const std::string& baseCommit,
                                    std::map<std::string, std::optional<std::string>> files,
                                    const QString& description, const QString& note)
{
    send(nodeId, engine::DecisionAction::Edit,
         [run = runFolderOf(m_folder), nodeId, baseCommit, files = std::move(files),
          description = description.toStdString(), note = note.toStdString()] {
             engine::DecisionRequest request;
             request.nodeId = nodeId;
             request.action = engine::DecisionAction::Edit;
             request.note = note;
             try {
                 // A repository handle of this thread's own (libgit2 handles are not shared).
                 auto repo = git::Repository::openBare(run.repo());
                 const git::Oid commit = engine::commitHandEdit(repo, git::Oid::fromHex(baseCommit),
                                                                files, description);
                 request.payload = {{"commit", commit.hex()}, {"description", description}};
             } catch (const std::exception& error) {
                 return Result{nodeId, QString::fromStdString(request.action), false, false,
                               QString::fromStdString(error.what())};
             }
             return submitNow(run, request);
         });
}

void DecisionSender::send(int nodeId, const std::string& action, std::function<Result()> work)
{
    const bool wasBusy = isBusy();
    ++m_unanswered;
    m_running.add(runAsync(
        this, std::move(work), [this](const Result& result) { answer(result); },
        [this, nodeId, action = QString::fromStdString(action)](const QString& error) {
            answer(Result{nodeId, action, false, false, error});
        }));
    if (!wasBusy)
        Q_EMIT busyChanged(true);
}

void DecisionSender::answer(const Result& result)
{
    --m_unanswered;
    if (result.ok)
        Q_EMIT submitted(result.nodeId, result.action, result.text, result.appliedNow);
    else
        Q_EMIT failed(result.nodeId, result.action, result.text);
    if (!isBusy())
        Q_EMIT busyChanged(false);
}

} // namespace clade::models
