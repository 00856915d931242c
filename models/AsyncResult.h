#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QString>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace clade::models {

namespace detail {

// What crosses back from the pool: the value, or what the exception said. Exceptions stop
// here (ARCHITECTURE.md "Threads"): the future never holds one. Handed over by pointer so the
// value is moved out, never copied (QFuture::takeResult() would reset the future's state,
// and an owner waiting for it in its destructor would wait forever).
template <typename T> struct AsyncOutcome {
    std::optional<T> value;
    QString error;
};
template <typename T> using AsyncOutcomePtr = std::shared_ptr<AsyncOutcome<T>>;

} // namespace detail

/// Runs `function` on the global thread pool, then hands its result to `onResult` on
/// `context`'s thread — or, if `function` threw, what the exception said to `onError` —
/// unless `context` was destroyed first: then neither is called. Exactly one of them is
/// called otherwise. Call it on `context`'s thread.
///
/// `function` runs after the caller may be gone, so it must capture values (and cancel
/// flags), never `this`. The returned future lets an owner wait in its destructor; a caller
/// that must drop answers to older requests checks a request number in `onResult`.
/// In the spirit of Qt Creator's Utils::onResultReady.
template <typename Function, typename OnResult, typename OnError>
QFuture<void> runAsync(QObject* context, Function&& function, OnResult&& onResult,
                       OnError&& onError)
{
    using T = std::invoke_result_t<std::decay_t<Function>&>;
    static_assert(!std::is_void_v<T>, "runAsync hands a result back; return one");
    using Outcome = detail::AsyncOutcomePtr<T>;
    Q_ASSERT(context && context->thread() == QThread::currentThread());

    // Parented to the context: when the context goes, the watcher and its connection go
    // with it, and an answer still on its way is never delivered.
    auto* watcher = new QFutureWatcher<Outcome>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, onResult = std::forward<OnResult>(onResult),
                      onError = std::forward<OnError>(onError)]() mutable {
                         QFuture<Outcome> future = watcher->future();
                         watcher->deleteLater();
                         if (future.resultCount() == 0) {
                             // Only if the pool dropped the call unrun (it is being shut down).
                             std::invoke(onError, QObject::tr("the call was cancelled"));
                             return;
                         }
                         const Outcome outcome = future.result();
                         if (outcome->value)
                             std::invoke(onResult, std::move(*outcome->value));
                         else
                             std::invoke(onError, outcome->error);
                     });
    QFuture<Outcome> future =
        QtConcurrent::run([function = std::forward<Function>(function)]() mutable {
            auto outcome = std::make_shared<detail::AsyncOutcome<T>>();
            try {
                outcome->value.emplace(std::invoke(function));
            } catch (const std::exception& error) {
                outcome->error = QString::fromUtf8(error.what());
            } catch (...) {
                outcome->error = QObject::tr("unexpected error (not a std::exception)");
            }
            return outcome;
        });
    watcher->setFuture(future);
    return QFuture<void>(future);
}

/// The calls an object started and has to wait for before it goes (its destructor calls
/// waitForAll() after setting their cancel flags). Finished ones are forgotten as new ones
/// are added.
class PendingCalls {
public:
    void add(QFuture<void> future)
    {
        m_futures.removeIf([](const QFuture<void>& f) { return f.isFinished(); });
        m_futures.append(std::move(future));
    }
    void waitForAll()
    {
        for (QFuture<void>& future : m_futures)
            future.waitForFinished();
        m_futures.clear();
    }

private:
    QList<QFuture<void>> m_futures;
};

} // namespace clade::models
