#pragma once

#include "engine/git/RunDiff.h"

#include <QAbstractListModel>

#include <memory>

namespace clade::models {

/// The files of one diff, one row each, for the diff view's file list. Holds the diff as
/// a shared immutable value so the text views can read the same hunks without a copy.
class DiffFileListModel : public QAbstractListModel {
    Q_OBJECT

public:
    enum Role : int {
        PathRole = Qt::UserRole + 1, ///< QString, the new path
        OldPathRole,                 ///< QString, differs from PathRole for renames
        StatusRole,                  ///< QString, one letter: A, M, D, R, C, T
        InsertionsRole,              ///< int
        DeletionsRole,               ///< int
        BinaryRole,                  ///< bool
        TooLargeRole,                ///< bool, summarised without its lines
    };

    explicit DiffFileListModel(QObject* parent = nullptr);

    /// Replaces every row (a model reset: a new diff shares nothing with the old one).
    void setResult(std::shared_ptr<const git::DiffResult> result);
    void clear();
    const std::shared_ptr<const git::DiffResult>& result() const { return m_result; }
    /// The file at `row`, or null.
    const git::DiffFile* file(int row) const;

    /// "added", "modified", ... for tooltips and headers.
    static QString statusName(git::DiffFileStatus status);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    std::shared_ptr<const git::DiffResult> m_result;
};

} // namespace clade::models
