#pragma once
// A scripted HTTP/1.1 server on loopback that stands in for a model provider: it records
// every request, answers through a handler the test gives, and counts requests in flight.
// It runs on its own thread, so a test may call a blocking client from its main thread.
// One request per connection (it answers with Connection: close), which is all a client
// needs and keeps the parser small.

#include <QByteArray>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace testsupport {

struct FakeHttpRequest {
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers; ///< names in lower case
    std::string body;
    qint64 arrivedMs = 0; ///< since the server started
};

struct FakeHttpResponse {
    int status = 200;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    int delayMs = 0;   ///< wait this long before answering
    bool hang = false; ///< never answer (until the client gives up)
};

class FakeLlmServer : public QThread {
public:
    /// `index` counts requests from 0. The handler runs on the server's thread.
    using Handler = std::function<FakeHttpResponse(const FakeHttpRequest&, int index)>;

    explicit FakeLlmServer(Handler handler) : m_handler(std::move(handler))
    {
        auto ready = m_ready.get_future();
        start();
        m_port = ready.get();
    }

    ~FakeLlmServer() override
    {
        quit();
        wait();
    }

    quint16 port() const { return m_port; }
    std::string url(const std::string& path = "") const
    {
        return "http://127.0.0.1:" + std::to_string(m_port) + path;
    }

    std::vector<FakeHttpRequest> requests() const
    {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }
    int requestCount() const
    {
        std::lock_guard lock(m_mutex);
        return static_cast<int>(m_requests.size());
    }
    int maxInFlight() const { return m_maxInFlight.load(); }

protected:
    void run() override
    {
        QElapsedTimer clock; // before the server: its sockets' handlers use it
        clock.start();
        QTcpServer server;
        if (!server.listen(QHostAddress::LocalHost, 0)) {
            m_ready.set_value(0);
            return;
        }
        QObject::connect(&server, &QTcpServer::newConnection, &server, [this, &server, &clock] {
            while (QTcpSocket* socket = server.nextPendingConnection())
                serve(socket, clock);
        });
        m_ready.set_value(server.serverPort());
        exec();
    }

private:
    struct Connection {
        QByteArray buffer;
        bool received = false;
        bool done = false; ///< answered or dropped: no longer in flight
    };

    void serve(QTcpSocket* socket, const QElapsedTimer& clock)
    {
        auto connection = std::make_shared<Connection>();
        QObject::connect(socket, &QTcpSocket::disconnected, socket, [this, socket, connection] {
            settle(*connection);
            socket->deleteLater();
        });
        QObject::connect(
            socket, &QTcpSocket::readyRead, socket, [this, socket, connection, &clock] {
                connection->buffer += socket->readAll();
                if (connection->received)
                    return;
                FakeHttpRequest request;
                if (!parse(connection->buffer, request))
                    return;
                connection->received = true;
                request.arrivedMs = clock.elapsed();
                int index = 0;
                {
                    std::lock_guard lock(m_mutex);
                    index = static_cast<int>(m_requests.size());
                    m_requests.push_back(request);
                }
                const int now = ++m_inFlight;
                for (int seen = m_maxInFlight.load();
                     now > seen && !m_maxInFlight.compare_exchange_weak(seen, now);) {
                }
                const FakeHttpResponse response = m_handler(request, index);
                if (response.hang)
                    return;
                QTimer::singleShot(response.delayMs, socket, [this, socket, connection, response] {
                    settle(*connection);
                    socket->write(render(response));
                    socket->disconnectFromHost();
                });
            });
    }

    void settle(Connection& connection)
    {
        if (connection.received && !connection.done) {
            connection.done = true;
            --m_inFlight;
        }
    }

    static bool parse(const QByteArray& buffer, FakeHttpRequest& request)
    {
        const int headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return false;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        request.method = requestLine.value(0).toStdString();
        request.path = requestLine.value(1).toStdString();
        qsizetype length = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            request.headers[name.toStdString()] = value.toStdString();
            if (name == "content-length")
                length = value.toLongLong();
        }
        const qsizetype bodyStart = headerEnd + 4;
        if (buffer.size() - bodyStart < length)
            return false;
        request.body = buffer.mid(bodyStart, length).toStdString();
        return true;
    }

    static QByteArray render(const FakeHttpResponse& response)
    {
        QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + " Scripted\r\n";
        out += "Content-Type: application/json\r\n";
        out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
        out += "Connection: close\r\n";
        for (const auto& [name, value] : response.headers)
            out +=
                QByteArray::fromStdString(name) + ": " + QByteArray::fromStdString(value) + "\r\n";
        out += "\r\n";
        out += QByteArray::fromStdString(response.body);
        return out;
    }

    Handler m_handler;
    std::promise<quint16> m_ready;
    quint16 m_port = 0;
    mutable std::mutex m_mutex;
    std::vector<FakeHttpRequest> m_requests;
    std::atomic<int> m_inFlight{0};
    std::atomic<int> m_maxInFlight{0};
};

} // namespace testsupport
