#include "ui/NewRunDialog.h"

#include "engine/run/ExampleCatalog.h"
#include "engine/strategy/Strategy.h"
#include "engine/strategy/StrategyParams.h"
#include "engine/util/InputError.h"
#include "ui/ModelSettingsBox.h"
#include "ui/SlurmSettingsBox.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QThread>

namespace clade::ui {
namespace {

void addChoice(QComboBox* box, const QString& text, const QString& value, bool enabled,
               const QString& why = {})
{
    box->addItem(text, value);
    if (enabled)
        return;
    auto* model = qobject_cast<QStandardItemModel*>(box->model());
    QStandardItem* item = model->item(box->count() - 1);
    item->setEnabled(false);
    item->setToolTip(why);
}

} // namespace

QString defaultRunFolder(const QString& agentName)
{
    QString base = qEnvironmentVariable("XDG_DATA_HOME");
    if (base.isEmpty())
        base = QDir::homePath() + "/.local/share";
    const QString stem = base + "/clade/runs/" + agentName + "-" +
                         QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
    QString folder = stem;
    for (int i = 2; QFileInfo::exists(folder); ++i)
        folder = stem + "-" + QString::number(i);
    return folder;
}

NewRunDialog::NewRunDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("New run"));
    auto* form = new QFormLayout;

    auto* agentRow = new QHBoxLayout;
    m_agent = new QComboBox(this);
    m_agent->setObjectName("agent");
    const engine::ExampleCatalog catalog(QCoreApplication::applicationDirPath().toStdString());
    for (const auto& example : catalog.list())
        m_agent->addItem(tr("Example: %1 — %2")
                             .arg(QString::fromStdString(example.name),
                                  QString::fromStdString(example.description)),
                         QString::fromStdString(example.folder.string()));
    auto* browse = new QPushButton(tr("Folder…"), this);
    agentRow->addWidget(m_agent, 1);
    agentRow->addWidget(browse);
    form->addRow(tr("Agent"), agentRow);

    const QString later = tr("Not available in this build yet");
    m_strategy = new QComboBox(this);
    m_strategy->setObjectName("strategy");
    const auto built = engine::strategyNames();
    for (const auto& [text, value] : {std::pair{"SICA — greedy self-improvement", "sica"},
                                      {"ADAS — meta agent search", "adas"},
                                      {"DGM — Darwin Gödel Machine archive", "dgm"},
                                      {"HGM — clade-metaproductivity tree search", "hgm"},
                                      {"Islands — MAP-Elites islands", "islands"}})
        addChoice(m_strategy, tr(text), value,
                  std::find(built.begin(), built.end(), value) != built.end(), later);
    form->addRow(tr("Strategy"), m_strategy);
    m_params = new QLineEdit(this);
    m_params->setObjectName("strategyParams");
    m_params->setToolTip(tr("KEY=VALUE pairs separated by spaces, as `clade run --param` takes "
                            "them; empty fields keep the defaults shown"));
    form->addRow(tr("Parameters"), m_params);
    // The defaults of the chosen strategy, shown where a person types their own.
    auto showDefaults = [this] {
        const std::string name = m_strategy->currentData().toString().toStdString();
        try {
            const auto defaults = engine::makeStrategy(name, nlohmann::json::object(), 1)->parameters();
            m_params->setPlaceholderText(
                tr("defaults: %1").arg(QString::fromStdString(engine::describeStrategyParams(defaults))));
        } catch (const std::exception&) {
            m_params->setPlaceholderText({});
        }
        m_params->clear();
    };
    showDefaults();
    connect(m_strategy, &QComboBox::currentIndexChanged, this, showDefaults);

    m_proposer = new QComboBox(this);
    m_proposer->setObjectName("proposer");
    addChoice(m_proposer, tr("Command — the agent edits its own code"), "command", true);
    addChoice(m_proposer, tr("LLM — a language model writes the change"), "llm", true);
    form->addRow(tr("Proposer"), m_proposer);

    m_sandbox = new QComboBox(this);
    addChoice(m_sandbox, tr("bubblewrap (recommended)"), "bwrap", true);
    addChoice(m_sandbox, tr("unsafe: resource limits only, no isolation"), "unsafe-rlimits", true);
    form->addRow(tr("Sandbox"), m_sandbox);

    m_executor = new QComboBox(this);
    m_executor->setObjectName("executor");
    addChoice(m_executor, tr("This machine"), "local", true);
    addChoice(m_executor, tr("Slurm cluster — each phase a job, from this machine"), "slurm", true);
    form->addRow(tr("Executor"), m_executor);

    m_review = new QComboBox(this);
    addChoice(m_review, tr("Automatic — findings recorded, nothing held"), "auto", true);
    addChoice(m_review, tr("Ask on risk — risky proposals wait for approval"), "ask-on-risk", true);
    addChoice(m_review, tr("Ask always — every proposal waits for approval"), "ask-always", true);
    form->addRow(tr("Review"), m_review);

    m_iterations = new QSpinBox(this);
    m_iterations->setRange(1, 1000000);
    m_iterations->setValue(40);
    m_iterations->setSuffix(tr(" children"));
    form->addRow(tr("Budget"), m_iterations);
    m_minutes = new QDoubleSpinBox(this);
    m_minutes->setRange(0, 100000);
    m_minutes->setSpecialValueText(tr("no time limit"));
    m_minutes->setSuffix(tr(" min"));
    form->addRow(tr("Time budget"), m_minutes);
    m_workers = new QSpinBox(this);
    m_workers->setRange(1, 64);
    m_workers->setValue(std::clamp(QThread::idealThreadCount(), 1, 2));
    form->addRow(tr("Workers"), m_workers);
    m_seed = new QSpinBox(this);
    m_seed->setRange(0, 1 << 30);
    m_seed->setValue(1);
    form->addRow(tr("Seed"), m_seed);

    auto* outRow = new QHBoxLayout;
    m_out = new QLineEdit(this);
    m_out->setObjectName("runFolder");
    auto* browseOut = new QPushButton(tr("Choose…"), this);
    outRow->addWidget(m_out, 1);
    outRow->addWidget(browseOut);
    form->addRow(tr("Run folder"), outRow);

    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet("color: #b3261e");
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Start"));
    m_model = new ModelSettingsBox(this);
    m_slurm = new SlurmSettingsBox(this);
    m_slurm->hide();
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_slurm);
    layout->addWidget(m_model);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);

    auto refreshOut = [this] {
        m_out->setText(defaultRunFolder(QFileInfo(agentFolder()).fileName()));
    };
    refreshOut();
    connect(m_agent, &QComboBox::currentIndexChanged, this, refreshOut);
    connect(m_executor, &QComboBox::currentIndexChanged, this, [this] {
        m_slurm->setVisible(m_executor->currentData().toString() == "slurm");
        adjustSize();
    });
    connect(browse, &QPushButton::clicked, this, &NewRunDialog::browseAgent);
    connect(browseOut, &QPushButton::clicked, this, &NewRunDialog::browseOut);
    connect(buttons, &QDialogButtonBox::accepted, this, &NewRunDialog::validate);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

QString NewRunDialog::agentFolder() const
{
    return m_agent->currentData().toString();
}

QString NewRunDialog::runFolder() const
{
    return m_out->text().trimmed();
}

engine::RunSettings NewRunDialog::settings() const
{
    engine::RunSettings s;
    s.strategy = m_strategy->currentData().toString().toStdString();
    for (const QString& pair : m_params->text().split(' ', Qt::SkipEmptyParts))
        engine::addStrategyParam(s.strategyParams, pair.toStdString());
    s.proposer = m_proposer->currentData().toString().toStdString();
    s.sandbox = m_sandbox->currentData().toString().toStdString();
    s.review = m_review->currentData().toString().toStdString();
    s.iterations = m_iterations->value();
    s.maxMinutes = m_minutes->value();
    s.workers = m_workers->value();
    s.seed = static_cast<std::uint64_t>(m_seed->value());
    s.llm = m_model->settings();
    s.maxCost = m_model->maxCost();
    s.executor.kind = m_executor->currentData().toString().toStdString();
    if (!s.executor.isLocal())
        s.executor.slurm = m_slurm->settings(); // a time limit Slurm would refuse throws
    if (s.proposer == "llm" && !s.llm)
        throw engine::InputError("The LLM proposer needs a model: choose a provider and a model "
                                 "in the Model box.");
    return s;
}

void NewRunDialog::browseAgent()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Agent folder (with clade.json)"));
    if (folder.isEmpty())
        return;
    m_agent->addItem(folder, folder);
    m_agent->setCurrentIndex(m_agent->count() - 1);
}

void NewRunDialog::browseOut()
{
    const QString folder = QFileDialog::getSaveFileName(this, tr("New run folder"), runFolder());
    if (!folder.isEmpty())
        m_out->setText(folder);
}

void NewRunDialog::validate()
{
    // Cheap checks only: the manifest and settings are read (off the GUI thread) when the
    // run is created, and their problems are reported then.
    QString problem;
    if (agentFolder().isEmpty() || !QFileInfo(agentFolder() + "/clade.json").isFile())
        problem = tr("%1 has no clade.json: choose an agent folder.").arg(agentFolder());
    else if (runFolder().isEmpty())
        problem = tr("Choose where the run folder goes.");
    else if (QFileInfo::exists(runFolder()))
        problem = tr("%1 already exists: a new run needs a new folder.").arg(runFolder());
    else
        try {
            (void)settings(); // a parameter without KEY=, an llm proposer without a model
        } catch (const std::exception& e) {
            problem = QString::fromStdString(e.what());
        }
    // The settings themselves are checked where the run is created, off this thread (the
    // check starts bubblewrap once); a problem shows in the window's banner.
    m_problem->setText(problem);
    if (problem.isEmpty())
        accept();
}

} // namespace clade::ui
