#include "models/RunReader.h"

#include "engine/importers/ImportCache.h"
#include "engine/review/Decisions.h"
#include "engine/review/ReviewQueue.h"
#include "engine/run/SandboxSession.h"
#include "engine/store/NodeBulkReader.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunLock.h"
#include "engine/store/RunStore.h"
#include "engine/util/InputError.h"

#include <QElapsedTimer>


namespace clade::models {
namespace {

double activeSecondsOf(engine::RunStore& store)
{
    return std::stod(store.meta("active_seconds").value_or("0"));
}

// A damaged review.json must not stop the run from opening or following: the reviewer
// sees the problem in place of the findings.
std::vector<engine::Finding> findingsOf(const std::filesystem::path& runDir, int nodeId)
{
    try {
        return engine::loadFindings(runDir, nodeId);
    } catch (const std::exception& error) {
        return {engine::Finding{"unreadable", {}, 0, error.what(), {}}};
    }
}

// Only the held nodes: a few files, not one per node of a 100,000-node run.
FindingsById findingsOfHeld(const std::filesystem::path& runDir,
                            const std::vector<engine::Node>& nodes)
{
    FindingsById findings;
    for (const auto& node : nodes)
        if (waitsForReview(node))
            findings[node.id] = findingsOf(runDir, node.id);
    return findings;
}

} // namespace

RunReader::RunReader() = default;
RunReader::~RunReader() = default;

void RunReader::open(const QString& folder)
{
    QElapsedTimer timer;
    timer.start();
    try {
        // Another system's run (an ADAS archive, an AIDE journal) opens through its import,
        // made here once, off the GUI thread, and cached.
        const std::filesystem::path root =
            std::filesystem::absolute(engine::openableRunFolder(folder.toStdString()));
        const engine::RunFolder run{root};
        run.requireValid();
        auto data = std::make_shared<RunData>();
        data->folder = QString::fromStdString(root.lexically_normal().string());
        data->config = engine::RunConfig::load(root);
        m_store = std::make_unique<engine::RunStore>(run.database(),
                                                     engine::Database::Mode::ReadOnly);
        // The version first: a commit landing while the nodes are read shows up as a
        // change on the next refresh rather than being missed.
        m_dataVersion = m_store->database().dataVersion();
        // Reading inside one transaction gives the nodes and the event position of the
        // same instant, even while the owner keeps writing.
        m_store->database().exec("BEGIN");
        try {
            m_lastSeq = m_store->lastEventSeq();
            m_readsCluster = !data->config.settings.executor.isLocal();
            m_cluster = {};
            if (m_readsCluster) {
                m_cluster.readAll(*m_store);
                data->cluster = m_cluster.facts();
            }
            data->nodes = engine::readAllNodes(m_store->database());
            data->activeSeconds = activeSecondsOf(*m_store);
            data->personReverted = engine::personRevertedNodes(*m_store);
            data->sandboxSession = engine::readSandboxSession(*m_store);
            data->importFormat = m_store->meta("import_format").value_or("");
            data->importSource = m_store->meta("import_source").value_or("");
            const auto warnings = nlohmann::json::parse(m_store->meta("import_warnings").value_or("[]"), nullptr, false);
            if (warnings.is_array())
                for (const auto& warning : warnings)
                    if (warning.is_string())
                        data->importWarnings.push_back(warning.get<std::string>());
            m_store->database().exec("COMMIT");
        } catch (...) {
            m_store->database().exec("ROLLBACK");
            throw;
        }
        data->nodesToTake = std::make_shared<std::vector<engine::Node>>(data->nodes);
        data->lastEventSeq = m_lastSeq;
        data->ownerPid = engine::RunLock::ownerPid(root);
        data->heldFindings = findingsOfHeld(root, data->nodes);
        data->readSeconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
        m_folder = data->folder;
        Q_EMIT opened(std::move(data));
    } catch (const std::exception& error) {
        m_store.reset();
        Q_EMIT failed(QString::fromStdString(error.what()));
    }
}

void RunReader::refresh()
{
    readChanges();
    Q_EMIT refreshDone();
}

void RunReader::readDetails(int nodeId)
{
    if (!m_store)
        return;
    try {
        auto details = std::make_shared<NodeDetails>();
        details->nodeId = nodeId;
        details->decisions = m_store->decisionsFor(nodeId);
        details->findings = findingsOf(m_folder.toStdString(), nodeId);
        details->placements = m_cluster.placementsOf(nodeId);
        Q_EMIT detailsRead(std::move(details));
    } catch (const std::exception& error) {
        Q_EMIT failed(QString::fromStdString(error.what()));
    }
}

void RunReader::readChanges()
{
    if (!m_store)
        return;
    try {
        const std::int64_t version = m_store->database().dataVersion();
        if (version == m_dataVersion)
            return; // the file changed but no transaction committed (a checkpoint, say)
        m_dataVersion = version;
        auto batch = std::make_shared<NodeBatch>();
        std::int64_t lastSeq = m_lastSeq; // advanced only once the batch is read whole
        const ClusterEvents::Mark clusterRead = m_cluster.mark(); // likewise
        m_store->database().exec("BEGIN");
        try {
            const std::vector<int> changedIds = m_store->nodesChangedAfter(m_lastSeq, &lastSeq);
            if (m_readsCluster && m_cluster.readAfter(*m_store, m_lastSeq, lastSeq))
                batch->cluster = m_cluster.facts();
            batch->nodes = engine::NodeBulkReader(m_store->database()).readByIds(changedIds);
            batch->activeSeconds = activeSecondsOf(*m_store);
            batch->personReverted = engine::personRevertedNodes(*m_store);
            batch->sandboxSession = engine::readSandboxSession(*m_store);
            m_store->database().exec("COMMIT");
        } catch (...) {
            m_cluster.rollBack(clusterRead); // read again with the nodes next time
            m_store->database().exec("ROLLBACK");
            throw;
        }
        m_lastSeq = lastSeq;
        batch->lastEventSeq = m_lastSeq;
        batch->ownerPid = engine::RunLock::ownerPid(m_folder.toStdString());
        batch->heldFindings = findingsOfHeld(m_folder.toStdString(), batch->nodes);
        Q_EMIT changed(std::move(batch));
    } catch (const std::exception& error) {
        Q_EMIT failed(QString::fromStdString(error.what()));
    }
}

} // namespace clade::models
