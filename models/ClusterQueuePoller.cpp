#include "models/ClusterQueuePoller.h"

#include <QTimer>

namespace clade::models {

ClusterQueuePoller::ClusterQueuePoller(QObject* parent, Query query)
    : QObject(parent), m_query(std::move(query)), m_timer(new QTimer(this))
{
    // squeue takes ~50 ms and asks the controller; every 5 s keeps the strip live without
    // loading the scheduler.
    m_timer->setInterval(5000);
    connect(m_timer, &QTimer::timeout, this, &ClusterQueuePoller::ask);
}

ClusterQueuePoller::~ClusterQueuePoller()
{
    m_running.waitForAll();
}

void ClusterQueuePoller::start(const std::string& runTag)
{
    if (isPolling() && runTag == m_tag)
        return;
    m_tag = runTag;
    ++m_generation;
    m_asking = false;
    m_timer->start();
    ask();
}

void ClusterQueuePoller::stop()
{
    m_timer->stop();
    ++m_generation;
    m_asking = false;
}

bool ClusterQueuePoller::isPolling() const
{
    return m_timer->isActive();
}

void ClusterQueuePoller::setIntervalMs(int ms)
{
    m_timer->setInterval(ms);
}

void ClusterQueuePoller::ask()
{
    if (m_asking)
        return; // a slow controller: one question at a time
    m_asking = true;
    const int generation = m_generation;
    m_running.add(runAsync(
        this, [query = m_query, tag = m_tag] { return query(tag); },
        [this, generation](const engine::SlurmQueueCounts& counts) {
            if (generation != m_generation)
                return;
            m_asking = false;
            Q_EMIT countsRead(counts.pending, counts.running);
        },
        [this, generation](const QString& why) {
            if (generation != m_generation)
                return;
            m_asking = false;
            Q_EMIT queueUnknown(why);
        }));
}

} // namespace clade::models
