#include "engine/llm/HttpTransport.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <condition_variable>
#include <mutex>

namespace clade::llm {

namespace {

// How often the network thread looks at a caller's cancellation flag.
constexpr int kCancelPollMs = 20;

// Handed from the network thread to the blocked caller exactly once.
struct Rendezvous {
    std::mutex mutex;
    std::condition_variable done;
    bool finished = false;
    HttpResult result;

    void finish(HttpResult r)
    {
        {
            std::lock_guard lock(mutex);
            result = std::move(r);
            finished = true;
        }
        done.notify_one();
    }
};

HttpResult readReply(QNetworkReply* reply)
{
    HttpResult result;
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    // 4xx and 5xx set reply->error() too, but they are answers with a body to read.
    if (status.isValid() && status.toInt() > 0) {
        result.outcome = HttpResult::Outcome::Answered;
        result.status = status.toInt();
    } else {
        result.outcome = HttpResult::Outcome::NetworkError;
        result.error = reply->errorString().toStdString();
    }
    result.body = reply->readAll().toStdString();
    for (const auto& [name, value] : reply->rawHeaderPairs())
        result.headers[name.toLower().toStdString()] = value.toStdString();
    return result;
}

} // namespace

std::string HttpResult::header(const std::string& lowerCaseName) const
{
    const auto it = headers.find(lowerCaseName);
    return it == headers.end() ? std::string() : it->second;
}

HttpTransport::HttpTransport(bool bypassProxy) : m_thread(std::make_unique<QThread>())
{
    m_thread->setObjectName(QStringLiteral("clade-llm-network"));
    m_thread->start();
    m_context = new QObject;
    m_context->moveToThread(m_thread.get());
    QMetaObject::invokeMethod(
        m_context,
        [this, bypassProxy] {
            m_manager = new QNetworkAccessManager(m_context);
            if (bypassProxy)
                m_manager->setProxy(QNetworkProxy::NoProxy);
        },
        Qt::BlockingQueuedConnection);
}

HttpTransport::~HttpTransport()
{
    // The manager and any reply still alive belong to the network thread: delete them there.
    QMetaObject::invokeMethod(
        m_context, [this] { delete m_context; }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

HttpResult HttpTransport::post(const HttpCall& call, std::function<bool()> cancelled)
{
    auto rendezvous = std::make_shared<Rendezvous>();
    QMetaObject::invokeMethod(m_context, [this, call, cancelled, rendezvous] {
        QNetworkRequest request(QUrl(QString::fromStdString(call.url)));
        // A redirect would carry the key to wherever it points; the APIs never redirect a
        // POST, so a 3xx is reported as the answer instead of followed.
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             QNetworkRequest::ManualRedirectPolicy);
        for (const auto& [name, value] : call.headers)
            request.setRawHeader(QByteArray::fromStdString(name), QByteArray::fromStdString(value));
        QNetworkReply* reply = m_manager->post(request, QByteArray::fromStdString(call.body));
        auto clock = std::make_shared<QElapsedTimer>();
        clock->start();
        // Why the reply ended when it was aborted; set before abort(), which may emit
        // finished() at once.
        auto abortedAs = std::make_shared<HttpResult::Outcome>(HttpResult::Outcome::Answered);

        auto* deadline = new QTimer(reply);
        deadline->setSingleShot(true);
        deadline->setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5% early
        QObject::connect(deadline, &QTimer::timeout, reply, [reply, abortedAs] {
            *abortedAs = HttpResult::Outcome::Timeout;
            reply->abort();
        });
        deadline->start(static_cast<int>(std::min<std::int64_t>(call.timeout.count(), INT32_MAX)));

        auto* poll = new QTimer(reply);
        QObject::connect(poll, &QTimer::timeout, reply, [reply, abortedAs, cancelled] {
            if (cancelled()) {
                *abortedAs = HttpResult::Outcome::Cancelled;
                reply->abort();
            }
        });
        poll->start(kCancelPollMs);

        QObject::connect(reply, &QNetworkReply::finished, reply,
                         [reply, deadline, poll, abortedAs, clock, rendezvous] {
                             // `cancelled` refers to the caller's flags, which may be gone
                             // once the caller wakes: no poll may run after this point.
                             poll->stop();
                             deadline->stop();
                             HttpResult result;
                             if (*abortedAs == HttpResult::Outcome::Answered)
                                 result = readReply(reply);
                             else
                                 result.outcome =
                                     *abortedAs; // an aborted reply has nothing to read
                             result.seconds = static_cast<double>(clock->nsecsElapsed()) / 1e9;
                             reply->deleteLater();
                             rendezvous->finish(std::move(result));
                         });
    });

    std::unique_lock lock(rendezvous->mutex);
    rendezvous->done.wait(lock, [&] { return rendezvous->finished; });
    return std::move(rendezvous->result);
}

} // namespace clade::llm
