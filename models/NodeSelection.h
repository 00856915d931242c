#pragma once

#include <QObject>

namespace clade::models {

/// The node every view shows (tree, inspector, diff, logs, charts) and an optional second
/// node to compare it with. Views set it and follow it; none talks to another directly.
class NodeSelection : public QObject {
    Q_OBJECT
public:
    explicit NodeSelection(QObject* parent = nullptr);

    int current() const { return m_current; }
    void setCurrent(int id);
    /// Selects `a` and compares it with `b`.
    void setComparePair(int a, int b);
    void clear();

Q_SIGNALS:
    void currentChanged(int id);
    /// Emitted after currentChanged when the diff pair changes (b = -1: against the parent).
    void compareChanged(int a, int b);

private:
    int m_current = -1;
    int m_compareWith = -1; // the other node of a two-node diff, or -1 (against the parent)
};

} // namespace clade::models
