#include "models/NodeListModel.h"

#include <QDateTime>

#include <algorithm>

namespace clade::models {

NodeListModel::NodeListModel(QObject* parent) : QAbstractTableModel(parent) {}

void NodeListModel::setNodes(std::vector<engine::Node> nodes)
{
    const auto byId = [](const engine::Node& a, const engine::Node& b) { return a.id < b.id; };
    if (!std::is_sorted(nodes.begin(), nodes.end(), byId)) // a store read is sorted already
        std::sort(nodes.begin(), nodes.end(), byId);
    beginResetModel();
    m_nodes = std::move(nodes);
    reindex();
    endResetModel();
}

void NodeListModel::clear()
{
    setNodes({});
}

void NodeListModel::applyChanges(const std::vector<engine::Node>& changed)
{
    std::vector<engine::Node> added;
    int firstChanged = -1;
    int lastChanged = -1;
    for (const auto& node : changed) {
        const int row = rowOf(node.id);
        if (row < 0) {
            added.push_back(node);
            continue;
        }
        m_nodes[static_cast<size_t>(row)] = node;
        // Changed rows are usually a few recent ones; one signal over their span is cheaper
        // for views than one per row and still exact enough.
        firstChanged = firstChanged < 0 ? row : std::min(firstChanged, row);
        lastChanged = std::max(lastChanged, row);
    }
    if (firstChanged >= 0)
        Q_EMIT dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
    if (added.empty())
        return;
    std::sort(added.begin(), added.end(),
              [](const engine::Node& a, const engine::Node& b) { return a.id < b.id; });
    const bool appendOnly = m_nodes.empty() || added.front().id > m_nodes.back().id;
    if (!appendOnly) {
        // A node id below the largest known one was never seen (it cannot happen with
        // one writer; be correct anyway).
        std::vector<engine::Node> all = m_nodes;
        all.insert(all.end(), added.begin(), added.end());
        setNodes(std::move(all));
        return;
    }
    const int first = static_cast<int>(m_nodes.size());
    beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
    for (auto& node : added) {
        m_rowOfId.insert(node.id, static_cast<int>(m_nodes.size()));
        m_nodes.push_back(std::move(node));
    }
    endInsertRows();
}

const engine::Node* NodeListModel::node(int id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_nodes[static_cast<size_t>(row)];
}

int NodeListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_nodes.size());
}

int NodeListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NodeListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const engine::Node& node = m_nodes[static_cast<size_t>(index.row())];
    if (role == Qt::DisplayRole || role == Qt::EditRole)
        return displayData(node, index.column());
    if (role == Qt::TextAlignmentRole && index.column() != ColumnDescription &&
        index.column() != ColumnStatus)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return roleData(node, role);
}

QVariant NodeListModel::displayData(const engine::Node& node, int column) const
{
    switch (column) {
    case ColumnId:
        return node.id;
    case ColumnParent:
        return node.primaryParent();
    case ColumnStatus:
        return QString::fromStdString(engine::toString(node.status));
    case ColumnScore:
        return node.score ? QVariant(*node.score) : QVariant();
    case ColumnCost:
        return node.proposer.cost;
    case ColumnTokens:
        return QVariant::fromValue<qint64>(node.proposer.tokensIn + node.proposer.tokensOut);
    case ColumnCreated:
        return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(node.createdAt * 1000));
    case ColumnDescription:
        return QString::fromStdString(node.description);
    default:
        return {};
    }
}

QVariant NodeListModel::roleData(const engine::Node& node, int role) const
{
    switch (role) {
    case NodeIdRole:
        return node.id;
    case StatusRole:
        return static_cast<int>(node.status);
    case FlagsRole:
        return node.flags;
    case ScoreRole:
        return node.score ? QVariant(*node.score) : QVariant();
    case MetricsRole: {
        QVariantMap metrics;
        for (const auto& [name, value] : node.metrics)
            metrics.insert(QString::fromStdString(name), value);
        return metrics;
    }
    case EvaluatedAtRole:
        return node.score ? node.updatedAt : 0.0;
    case CostRole:
        return node.proposer.cost;
    case TokensRole:
        return QVariant::fromValue<qint64>(node.proposer.tokensIn + node.proposer.tokensOut);
    case SearchTextRole: {
        QStringList words{QString::number(node.id), QString::fromStdString(engine::toString(node.status)),
                          QString::fromStdString(node.description)};
        if (node.score)
            words << QString::number(*node.score);
        for (const auto& tag : node.tags)
            words << QString::fromStdString(tag);
        for (const auto& note : node.notes)
            words << QString::fromStdString(note);
        return words.join(QLatin1Char('\n'));
    }
    default:
        return {};
    }
}

QVariant NodeListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ColumnId:
        return tr("Node");
    case ColumnParent:
        return tr("Parent");
    case ColumnStatus:
        return tr("Status");
    case ColumnScore:
        return tr("Score");
    case ColumnCost:
        return tr("Cost (USD)");
    case ColumnTokens:
        return tr("Tokens");
    case ColumnCreated:
        return tr("Created");
    case ColumnDescription:
        return tr("Change");
    default:
        return {};
    }
}

void NodeListModel::reindex()
{
    m_rowOfId.clear();
    m_rowOfId.reserve(static_cast<qsizetype>(m_nodes.size()));
    for (size_t row = 0; row < m_nodes.size(); ++row)
        m_rowOfId.insert(m_nodes[row].id, static_cast<int>(row));
}

} // namespace clade::models
