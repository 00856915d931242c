#pragma once

#include "models/EditableChange.h"

#include <QDialog>

#include <filesystem>
#include <map>
#include <optional>
#include <string>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QStackedWidget;

namespace clade::ui {

/// Edit-then-approve: the files a candidate changed, each in an editor with the
/// candidate's version, read from the run's repository on the thread pool. OK is enabled
/// once some file differs; the caller commits editedFiles() as a hand-made child.
class HandEditDialog : public QDialog {
    Q_OBJECT
public:
    /// `parentCommit` may be empty (a root candidate: every file counts as added).
    HandEditDialog(const std::filesystem::path& repo, int nodeId, const std::string& parentCommit,
                   const std::string& commit, const QString& description, QWidget* parent = nullptr);
    ~HandEditDialog() override;

    /// The files whose text the person changed, path -> new text.
    std::map<std::string, std::optional<std::string>> editedFiles() const;
    QString description() const;
    bool isLoaded() const { return m_loaded; }
    /// The editor of `path`, or null (not loaded yet, or not editable).
    QPlainTextEdit* editorFor(const std::string& path) const;

Q_SIGNALS:
    void loaded();

private:
    void onLoaded(const models::EditableChange& change);
    void updateOk();

    QLabel* m_status = nullptr;
    QListWidget* m_files = nullptr;
    QStackedWidget* m_editors = nullptr;
    QLineEdit* m_description = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    models::EditableChange m_change;
    std::vector<QPlainTextEdit*> m_editorOf; // per file of m_change; null when not editable
    bool m_loaded = false;
};

} // namespace clade::ui
