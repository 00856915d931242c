#include "models/DiffFileListModel.h"

#include <algorithm>

namespace clade::models {

DiffFileListModel::DiffFileListModel(QObject* parent) : QAbstractListModel(parent) {}

void DiffFileListModel::setResult(std::shared_ptr<const git::DiffResult> result)
{
    beginResetModel();
    m_result = std::move(result);
    endResetModel();
}

void DiffFileListModel::clear()
{
    setResult(nullptr);
}

const git::DiffFile* DiffFileListModel::file(int row) const
{
    if (!m_result || row < 0 || row >= static_cast<int>(m_result->files.size()))
        return nullptr;
    return &m_result->files[static_cast<std::size_t>(row)];
}

QString DiffFileListModel::statusName(git::DiffFileStatus status)
{
    switch (status) {
    case git::DiffFileStatus::Added:
        return tr("added");
    case git::DiffFileStatus::Deleted:
        return tr("deleted");
    case git::DiffFileStatus::Renamed:
        return tr("renamed");
    case git::DiffFileStatus::Copied:
        return tr("copied");
    case git::DiffFileStatus::TypeChanged:
        return tr("type changed");
    case git::DiffFileStatus::Modified:
        break;
    }
    return tr("modified");
}

int DiffFileListModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_result)
        return 0;
    return static_cast<int>(m_result->files.size());
}

QVariant DiffFileListModel::data(const QModelIndex& index, int role) const
{
    const git::DiffFile* f =
        checkIndex(index, CheckIndexOption::IndexIsValid) ? file(index.row()) : nullptr;
    if (!f)
        return {};
    const QString path = QString::fromStdString(f->path);
    switch (role) {
    case Qt::DisplayRole:
        return path;
    case Qt::ToolTipRole: {
        QString tip = statusName(f->status);
        if (f->status == git::DiffFileStatus::Renamed || f->status == git::DiffFileStatus::Copied)
            tip += tr(" from %1").arg(QString::fromStdString(f->oldPath));
        if (f->binary)
            tip += tr(", binary");
        else if (f->tooLarge)
            tip += tr(", too large to show (%1 bytes)").arg(std::max(f->oldSize, f->newSize));
        else
            tip += tr(", +%1 −%2").arg(f->insertions).arg(f->deletions);
        return QStringLiteral("%1\n%2").arg(path, tip);
    }
    case PathRole:
        return path;
    case OldPathRole:
        return QString::fromStdString(f->oldPath);
    case StatusRole:
        return QString(QChar(static_cast<char>(f->status)));
    case InsertionsRole:
        return f->insertions;
    case DeletionsRole:
        return f->deletions;
    case BinaryRole:
        return f->binary;
    case TooLargeRole:
        return f->tooLarge;
    default:
        return {};
    }
}

QHash<int, QByteArray> DiffFileListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(PathRole, "path");
    names.insert(OldPathRole, "oldPath");
    names.insert(StatusRole, "status");
    names.insert(InsertionsRole, "insertions");
    names.insert(DeletionsRole, "deletions");
    names.insert(BinaryRole, "binary");
    names.insert(TooLargeRole, "tooLarge");
    return names;
}

} // namespace clade::models
