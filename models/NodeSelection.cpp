#include "models/NodeSelection.h"

namespace clade::models {

NodeSelection::NodeSelection(QObject* parent) : QObject(parent) {}

void NodeSelection::setCurrent(int id)
{
    const bool compareWasSet = m_compareWith >= 0;
    if (id == m_current && !compareWasSet)
        return;
    m_current = id;
    m_compareWith = -1;
    Q_EMIT currentChanged(id);
    Q_EMIT compareChanged(id, -1);
}

void NodeSelection::setComparePair(int a, int b)
{
    if (a == m_current && b == m_compareWith)
        return;
    const bool currentChanges = a != m_current;
    m_current = a;
    m_compareWith = b == a ? -1 : b;
    if (currentChanges)
        Q_EMIT currentChanged(a);
    Q_EMIT compareChanged(a, m_compareWith);
}

void NodeSelection::clear()
{
    setCurrent(-1);
}

} // namespace clade::models
