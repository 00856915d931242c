#include "models/TaskResultsModel.h"

#include <set>

namespace clade::models {

TaskResultsModel::TaskResultsModel(QObject* parent) : QAbstractTableModel(parent) {}

void TaskResultsModel::setNode(const engine::Node* node, const engine::Node* parent)
{
    beginResetModel();
    m_rows.clear();
    if (node) {
        std::set<std::string> tasks;
        for (const auto& [task, score] : node->results)
            tasks.insert(task);
        if (parent)
            for (const auto& [task, score] : parent->results)
                tasks.insert(task);
        auto lookup = [](const engine::Node* n, const std::string& task) -> std::optional<double> {
            if (!n)
                return std::nullopt;
            const auto it = n->results.find(task);
            return it == n->results.end() ? std::nullopt : std::optional<double>(it->second);
        };
        for (const auto& task : tasks)
            m_rows.push_back({QString::fromStdString(task), lookup(node, task), lookup(parent, task)});
    }
    endResetModel();
}

int TaskResultsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TaskResultsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TaskResultsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[static_cast<size_t>(index.row())];
    const std::optional<double> delta =
        row.score && row.parentScore ? std::optional<double>(*row.score - *row.parentScore)
                                     : std::nullopt;
    if (role == Qt::DisplayRole) {
        auto text = [](const std::optional<double>& v, const char* format) {
            return v ? QString::asprintf(format, *v) : QStringLiteral("–");
        };
        switch (index.column()) {
        case ColumnTask:
            return row.task;
        case ColumnScore:
            return text(row.score, "%.4f");
        case ColumnParentScore:
            return text(row.parentScore, "%.4f");
        case ColumnDelta:
            return text(delta, "%+.4f");
        default:
            return {};
        }
    }
    if (role == Qt::EditRole) { // typed values for sorting
        switch (index.column()) {
        case ColumnTask:
            return row.task;
        case ColumnScore:
            return row.score ? QVariant(*row.score) : QVariant();
        case ColumnParentScore:
            return row.parentScore ? QVariant(*row.parentScore) : QVariant();
        case ColumnDelta:
            return delta ? QVariant(*delta) : QVariant();
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() != ColumnTask)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant TaskResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ColumnTask:
        return tr("Task");
    case ColumnScore:
        return tr("Score");
    case ColumnParentScore:
        return tr("Parent");
    case ColumnDelta:
        return tr("Δ");
    default:
        return {};
    }
}

} // namespace clade::models
