#include "models/ReviewQueueModel.h"

#include "models/NodeColumns.h"

#include <algorithm>

namespace clade::models {
namespace {

std::vector<engine::Finding> findingsFor(const FindingsById& findings, int id)
{
    const auto it = findings.find(id);
    return it == findings.end() ? std::vector<engine::Finding>{} : it->second;
}

} // namespace

ReviewQueueModel::ReviewQueueModel(QObject* parent) : QAbstractTableModel(parent) {}

void ReviewQueueModel::reset(const std::vector<engine::Node>& nodes, const FindingsById& findings)
{
    beginResetModel();
    m_entries.clear();
    for (const auto& node : nodes)
        if (waitsForReview(node))
            m_entries.push_back({node, findingsFor(findings, node.id)});
    std::sort(m_entries.begin(), m_entries.end(),
              [](const Entry& a, const Entry& b) { return a.node.id < b.node.id; });
    endResetModel();
}

void ReviewQueueModel::clear()
{
    reset({}, {});
}

void ReviewQueueModel::apply(const std::vector<engine::Node>& changed, const FindingsById& findings)
{
    for (const auto& node : changed) {
        const auto at = std::lower_bound(m_entries.begin(), m_entries.end(), node.id,
                                         [](const Entry& e, int id) { return e.node.id < id; });
        const int row = static_cast<int>(at - m_entries.begin());
        const bool present = at != m_entries.end() && at->node.id == node.id;
        if (!waitsForReview(node)) {
            if (present) {
                beginRemoveRows({}, row, row);
                m_entries.erase(at);
                endRemoveRows();
            }
            continue;
        }
        if (present) {
            at->node = node;
            // The reader sends the findings of every held node it read; keep the old ones
            // only if it had none to send.
            if (findings.count(node.id))
                at->findings = findings.at(node.id);
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            continue;
        }
        beginInsertRows({}, row, row);
        m_entries.insert(at, Entry{node, findingsFor(findings, node.id)});
        endInsertRows();
    }
}

void ReviewQueueModel::setFindings(int id, const std::vector<engine::Finding>& findings)
{
    const int row = rowOf(id);
    if (row < 0 || m_entries[size_t(row)].findings == findings)
        return;
    m_entries[size_t(row)].findings = findings;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

const ReviewQueueModel::Entry* ReviewQueueModel::entry(int id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_entries[static_cast<size_t>(row)];
}

int ReviewQueueModel::rowOf(int id) const
{
    const auto at = std::lower_bound(m_entries.begin(), m_entries.end(), id,
                                     [](const Entry& e, int value) { return e.node.id < value; });
    return at != m_entries.end() && at->node.id == id ? static_cast<int>(at - m_entries.begin())
                                                       : -1;
}

int ReviewQueueModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int ReviewQueueModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ReviewQueueModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry& e = m_entries[static_cast<size_t>(index.row())];
    if (role == NodeIdRole)
        return e.node.id;
    if (role == StatusRole)
        return static_cast<int>(e.node.status);
    if (role == FlagsRole)
        return e.node.flags;
    if (role == Qt::ToolTipRole) {
        QStringList lines;
        for (const auto& f : e.findings)
            lines << QString::fromStdString(f.detector + ": " + f.message);
        return lines.isEmpty() ? QVariant() : QVariant(lines.join('\n'));
    }
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    switch (index.column()) {
    case ColumnId:
        return e.node.id;
    case ColumnHeld:
        return e.keepHeld() ? tr("keep") : tr("proposal");
    case ColumnFindings:
        return static_cast<int>(e.findings.size());
    case ColumnDescription:
        return QString::fromStdString(e.node.description);
    default:
        return {};
    }
}

QVariant ReviewQueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ColumnId: return tr("Node");
    case ColumnHeld: return tr("Held");
    case ColumnFindings: return tr("Findings");
    case ColumnDescription: return tr("Change");
    default: return {};
    }
}

} // namespace clade::models
