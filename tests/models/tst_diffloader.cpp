// models::DiffLoader, what the diff pane asks for a diff: the answer to the latest request
// arrives, older answers and cancelled ones never do, and a bad repository is an error.
#include "engine/git/Repository.h"
#include "models/DiffLoader.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>

using namespace clade;
namespace fs = std::filesystem;
using ResultPtr = std::shared_ptr<const git::DiffResult>;

namespace {

void writeFile(const fs::path& path, const std::string& content)
{
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

ResultPtr resultAt(const QSignalSpy& spy, qsizetype k)
{
    return spy.at(k).at(0).value<ResultPtr>();
}

} // namespace

class TestDiffLoader : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    fs::path m_repo;
    std::string m_root;
    std::string m_child;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const fs::path base = m_dir.path().toStdString();
        m_repo = base / "repo.git";
        git::Repository repo = git::Repository::initBare(m_repo);
        writeFile(base / "work" / "agent.py", "print('one')\n");
        writeFile(base / "work" / "README.md", "# Agent\n");
        const git::Oid root = repo.commitDirectory(base / "work", {}, "root", {});
        writeFile(base / "work" / "agent.py", "print('two')\n");
        m_root = root.hex();
        m_child = repo.commitDirectory(base / "work", {root}, "child", {}).hex();
    }

    void loadsADiff()
    {
        models::DiffLoader loader;
        QSignalSpy loaded(&loader, &models::DiffLoader::loaded);
        loader.load(m_repo, m_root, m_child);
        QVERIFY(loader.isLoading());
        QVERIFY(loaded.wait());
        QVERIFY(!loader.isLoading());
        const ResultPtr result = resultAt(loaded, 0);
        QVERIFY2(result->error.empty(), result->error.c_str());
        QCOMPARE(result->files.size(), std::size_t(1));
        QCOMPARE(result->files[0].path, std::string("agent.py"));
    }

    void onlyTheLatestRequestIsAnswered()
    {
        models::DiffLoader loader;
        QSignalSpy loaded(&loader, &models::DiffLoader::loaded);
        loader.load(m_repo, m_root, m_child);
        loader.load(m_repo, std::string(), m_root); // the root's two files
        QVERIFY(loaded.wait());
        // The first request's answer, if it was still on its way, is dropped.
        QTRY_VERIFY(!loader.isLoading());
        QCoreApplication::processEvents();
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(resultAt(loaded, 0)->files.size(), std::size_t(2));
    }

    void cancelledRequestIsNotAnswered()
    {
        models::DiffLoader loader;
        QSignalSpy loaded(&loader, &models::DiffLoader::loaded);
        loader.load(m_repo, m_root, m_child);
        loader.cancel();
        QVERIFY(!loader.isLoading());
        // A later request is answered, the cancelled one never.
        loader.load(m_repo, m_child, m_child);
        QVERIFY(loaded.wait());
        QCoreApplication::processEvents();
        QCOMPARE(loaded.count(), 1);
        QVERIFY(resultAt(loaded, 0)->files.empty());
    }

    void badRepositoryIsAnError()
    {
        models::DiffLoader loader;
        QSignalSpy loaded(&loader, &models::DiffLoader::loaded);
        loader.load(m_dir.filePath("missing.git").toStdString(), m_root, m_child);
        QVERIFY(loaded.wait());
        QVERIFY(!resultAt(loaded, 0)->error.empty());
    }

    void destroyedWhileLoading()
    {
        // Cancels and waits; nothing arrives at a loader that is gone.
        auto loader = std::make_unique<models::DiffLoader>();
        loader->load(m_repo, std::string(), m_child);
        loader.reset();
        QCoreApplication::processEvents();
    }
};

QTEST_GUILESS_MAIN(TestDiffLoader)
#include "tst_diffloader.moc"
