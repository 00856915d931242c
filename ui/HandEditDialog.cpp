#include "ui/HandEditDialog.h"

#include "models/AsyncResult.h"
#include "ui/CodeHighlighter.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace clade::ui {

HandEditDialog::HandEditDialog(const std::filesystem::path& repo, int nodeId,
                               const std::string& parentCommit, const std::string& commit,
                               const QString& description, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Edit node #%1, then approve").arg(nodeId));
    setObjectName("handEditDialog");
    resize(1000, 680);
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Change the candidate's files as you see fit. The edited version "
                                "becomes a hand-made child of #%1 (proposer <i>human</i>) and is "
                                "evaluated. If #%1 still waits for approval, it is rejected: the "
                                "edit runs in its place.")
                                 .arg(nodeId),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_status = new QLabel(tr("Reading the change…"), this);
    m_status->setObjectName("handEditStatus");
    layout->addWidget(m_status);

    auto* splitter = new QSplitter(this);
    m_files = new QListWidget(splitter);
    m_files->setObjectName("handEditFiles");
    m_editors = new QStackedWidget(splitter);
    splitter->addWidget(m_files);
    splitter->addWidget(m_editors);
    splitter->setStretchFactor(1, 4);
    splitter->setSizes({220, 780});
    layout->addWidget(splitter, 1);

    auto* descriptionRow = new QHBoxLayout;
    descriptionRow->addWidget(new QLabel(tr("Change description:"), this));
    m_description = new QLineEdit(tr("Hand edit of #%1: %2").arg(nodeId).arg(description), this);
    m_description->setObjectName("handEditDescription");
    descriptionRow->addWidget(m_description, 1);
    layout->addLayout(descriptionRow);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Commit and evaluate"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);
    connect(m_files, &QListWidget::currentRowChanged, m_editors, &QStackedWidget::setCurrentIndex);
    connect(m_description, &QLineEdit::textChanged, this, &HandEditDialog::updateOk);

    // The dialog is the context: closing it first drops the answer.
    models::runAsync(
        this,
        [repo, parentCommit, commit] {
            return models::loadEditableChange(repo, parentCommit, commit);
        },
        [this](const models::EditableChange& change) { onLoaded(change); },
        [this](const QString& error) {
            onLoaded(models::EditableChange{{}, error});
        });
}

// The read captures values only: a dialog closed before it ends leaves it to finish alone.
HandEditDialog::~HandEditDialog() = default;

void HandEditDialog::onLoaded(const models::EditableChange& change)
{
    m_change = change;
    m_loaded = true;
    if (!change.error.isEmpty()) {
        m_status->setText(tr("Cannot read the change: %1").arg(change.error));
        m_status->setStyleSheet("color:#b3261e");
        Q_EMIT loaded();
        return;
    }
    int editable = 0;
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (const auto& file : m_change.files) {
        const QString path = QString::fromStdString(file.path);
        auto* item = new QListWidgetItem(file.editable ? path : tr("%1 (%2)").arg(path, file.reason), m_files);
        if (!file.editable) {
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
            auto* placeholder = new QLabel(tr("%1 cannot be edited here: %2.").arg(path, file.reason), m_editors);
            placeholder->setAlignment(Qt::AlignCenter);
            m_editors->addWidget(placeholder);
            m_editorOf.push_back(nullptr);
            continue;
        }
        ++editable;
        auto* editor = new QPlainTextEdit(m_editors);
        editor->setObjectName("handEdit:" + path);
        editor->setFont(mono);
        editor->setLineWrapMode(QPlainTextEdit::NoWrap);
        editor->setPlainText(QString::fromStdString(file.text));
        auto* highlighter = new CodeHighlighter(editor->document());
        highlighter->setDefaultLanguage(CodeHighlighter::languageForPath(path));
        highlighter->rehighlight();
        connect(editor, &QPlainTextEdit::textChanged, this, &HandEditDialog::updateOk);
        m_editors->addWidget(editor);
        m_editorOf.push_back(editor);
    }
    m_status->setText(m_change.files.empty()
                          ? tr("The candidate changed no files.")
                          : tr("%n file(s) changed by the candidate, %1 editable.", nullptr,
                               int(m_change.files.size()))
                                .arg(editable));
    for (size_t k = 0; k < m_editorOf.size(); ++k)
        if (m_editorOf[k]) {
            m_files->setCurrentRow(int(k));
            m_editorOf[k]->setFocus();
            break;
        }
    Q_EMIT loaded();
}

void HandEditDialog::updateOk()
{
    m_buttons->button(QDialogButtonBox::Ok)
        ->setEnabled(!editedFiles().empty() && !m_description->text().trimmed().isEmpty());
}

std::map<std::string, std::optional<std::string>> HandEditDialog::editedFiles() const
{
    std::map<std::string, std::optional<std::string>> edited;
    for (size_t k = 0; k < m_editorOf.size(); ++k) {
        if (!m_editorOf[k])
            continue;
        const std::string text = m_editorOf[k]->toPlainText().toStdString();
        if (text != m_change.files[k].text)
            edited[m_change.files[k].path] = text;
    }
    return edited;
}

QString HandEditDialog::description() const
{
    return m_description->text().trimmed();
}

QPlainTextEdit* HandEditDialog::editorFor(const std::string& path) const
{
    for (size_t k = 0; k < m_editorOf.size(); ++k)
        if (m_change.files[k].path == path)
            return m_editorOf[k];
    return nullptr;
}

} // namespace clade::ui
