// models::runAsync, the one hand-off from the thread pool to an object's thread: the result
// arrives on the context's thread, never after the context is gone, and an exception in the
// function arrives as an error instead of crossing the thread boundary.
#include "models/AsyncResult.h"

#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <stdexcept>

using namespace clade;

namespace {

// A context whose handler writes into it: delivered after its destruction, ASan (the
// `sanitized` build of the models tests) reports the use after free.
class Receiver : public QObject {
public:
    int results = 0;
    int errors = 0;
    int value = 0;
    QString error;
    QThread* deliveredOn = nullptr;
};

} // namespace

class TestAsyncResult : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deliversOnTheContextsThread();
    void deliversOnAContextInAnotherThread();
    void movesTheResult();
    void nothingArrivesAfterTheContextIsGone();
    void exceptionsArriveAsErrors();
    void pendingCallsWaitForEveryCall();
};

void TestAsyncResult::deliversOnTheContextsThread()
{
    Receiver receiver;
    QThread* ranOn = nullptr;
    const QFuture<void> future = models::runAsync(
        &receiver,
        [&ranOn] {
            ranOn = QThread::currentThread();
            return 42;
        },
        [&receiver](int value) {
            ++receiver.results;
            receiver.value = value;
            receiver.deliveredOn = QThread::currentThread();
        },
        [&receiver](const QString&) { ++receiver.errors; });
    QTRY_COMPARE(receiver.results, 1);
    QVERIFY(future.isFinished());
    QCOMPARE(receiver.value, 42);
    QCOMPARE(receiver.errors, 0);
    QVERIFY(ranOn && ranOn != QThread::currentThread()); // the work ran on the pool
    QCOMPARE(receiver.deliveredOn, QThread::currentThread());
}

void TestAsyncResult::deliversOnAContextInAnotherThread()
{
    QThread thread;
    thread.start();
    auto* receiver = new Receiver;
    receiver->moveToThread(&thread);
    QObject::connect(&thread, &QThread::finished, receiver, &QObject::deleteLater);
    QSemaphore delivered;
    QThread* deliveredOn = nullptr;
    // runAsync is called on the context's thread, as it must be.
    QMetaObject::invokeMethod(receiver, [receiver, &delivered, &deliveredOn] {
        models::runAsync(
            receiver, [] { return 1; },
            [&delivered, &deliveredOn](int) {
                deliveredOn = QThread::currentThread();
                delivered.release();
            },
            [&delivered](const QString&) { delivered.release(); });
    });
    QVERIFY(delivered.tryAcquire(1, 10000));
    QCOMPARE(deliveredOn, &thread);
    thread.quit();
    QVERIFY(thread.wait(10000));
}

void TestAsyncResult::movesTheResult()
{
    // A move-only result reaches the handler: big results (diffs) are never copied.
    Receiver receiver;
    std::unique_ptr<int> got;
    models::runAsync(
        &receiver, [] { return std::make_unique<int>(7); },
        [&got](std::unique_ptr<int> value) { got = std::move(value); },
        [&receiver](const QString&) { ++receiver.errors; });
    QTRY_VERIFY(got);
    QCOMPARE(*got, 7);
    QCOMPARE(receiver.errors, 0);
}

void TestAsyncResult::nothingArrivesAfterTheContextIsGone()
{
    int calls = 0;
    QSemaphore gate;
    auto* receiver = new Receiver;
    QFuture<void> future = models::runAsync(
        receiver,
        [&gate] {
            gate.acquire(); // still running when the receiver goes
            return 5;
        },
        [receiver, &calls](int value) {
            ++calls;
            receiver->value = value; // a use after free if it ever ran
        },
        [receiver, &calls](const QString& error) {
            ++calls;
            receiver->error = error;
        });
    delete receiver;
    gate.release();
    future.waitForFinished();
    // Everything the pool posted is handled now: nothing is left to arrive later.
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QCOMPARE(calls, 0);

    // Also when the result is already waiting in the event queue as the context goes.
    auto* late = new Receiver;
    future = models::runAsync(
        late, [] { return 6; }, [&calls](int) { ++calls; }, [&calls](const QString&) { ++calls; });
    future.waitForFinished();
    delete late;
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QCOMPARE(calls, 0);
}

void TestAsyncResult::exceptionsArriveAsErrors()
{
    Receiver receiver;
    models::runAsync(
        &receiver, []() -> int { throw std::runtime_error("disk on fire"); },
        [&receiver](int) { ++receiver.results; },
        [&receiver](const QString& error) {
            ++receiver.errors;
            receiver.error = error;
            receiver.deliveredOn = QThread::currentThread();
        });
    QTRY_COMPARE(receiver.errors, 1);
    QCOMPARE(receiver.results, 0);
    QCOMPARE(receiver.error, QString("disk on fire"));
    QCOMPARE(receiver.deliveredOn, QThread::currentThread());

    // Not a std::exception: still an error, with something to say.
    models::runAsync(
        &receiver, []() -> int { throw 17; }, [&receiver](int) { ++receiver.results; },
        [&receiver](const QString& error) {
            ++receiver.errors;
            receiver.error = error;
        });
    QTRY_COMPARE(receiver.errors, 2);
    QCOMPARE(receiver.results, 0);
    QVERIFY(!receiver.error.isEmpty());
}

void TestAsyncResult::pendingCallsWaitForEveryCall()
{
    QSemaphore gate;
    std::atomic_int done = 0;
    models::PendingCalls pending;
    {
        Receiver receiver;
        for (int k = 0; k < 3; ++k)
            pending.add(models::runAsync(
                &receiver,
                [&gate, &done] {
                    gate.acquire();
                    return ++done;
                },
                [](int) {}, [](const QString&) {}));
        gate.release(3);
        pending.waitForAll();
        QCOMPARE(done.load(), 3);
    }
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
}

QTEST_GUILESS_MAIN(TestAsyncResult)
#include "tst_asyncresult.moc"
