#include "app/HeadlessPrinter.h"

#include "engine/eval/GuardCheck.h"
#include "engine/run/SandboxWarning.h"
#include "engine/util/Utf8Text.h"

#include <QDateTime>

#include <algorithm>

#include <unistd.h>

namespace clade::app {
namespace {

// Free text in a line (a change's description, an error, a note) is cut to this many
// characters, whole ones: a fixed byte buffer would cut inside one.
constexpr std::size_t kTextCharacters = 400;

std::string shownText(const nlohmann::json& payload, const char* key)
{
    return engine::elide(payload.value(key, ""), kTextCharacters);
}

// printf into a string as long as it needs.
template <typename... Args>
std::string formatted(const char* format, Args... args)
{
    const int size = std::snprintf(nullptr, 0, format, args...);
    std::string out(static_cast<std::size_t>(std::max(size, 0)) + 1, '\0');
    std::snprintf(out.data(), out.size(), format, args...);
    out.pop_back();
    return out;
}

} // namespace

std::string formatDuration(double seconds)
{
    const long total = static_cast<long>(seconds);
    char buffer[32];
    if (total >= 3600)
        std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60,
                      total % 60);
    else
        std::snprintf(buffer, sizeof buffer, "%ld:%02ld", total / 60, total % 60);
    return buffer;
}

std::string formatTime(double unixSeconds)
{
    if (unixSeconds <= 0)
        return "unknown";
    return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(unixSeconds * 1000))
        .toString("yyyy-MM-dd HH:mm:ss")
        .toStdString();
}

std::string formatScore(const std::optional<double>& score)
{
    if (!score)
        return "-";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4f", *score);
    return buffer;
}

HeadlessPrinter::HeadlessPrinter(std::FILE* out) : m_out(out), m_terminal(::isatty(::fileno(out)))
{
}

void HeadlessPrinter::printLine(const std::string& line)
{
    if (m_terminal && m_barShown)
        std::fputs("\r\033[K", m_out);
    std::fputs(line.c_str(), m_out);
    std::fputc('\n', m_out);
    m_barShown = false;
}

void HeadlessPrinter::drawBar(const engine::RunProgress& p)
{
    if (!m_terminal)
        return;
    constexpr int width = 24;
    const int budget = std::max(1, p.iterationBudget);
    const int filled = std::min(width, p.children * width / budget);
    std::string bar = "[" + std::string(static_cast<size_t>(filled), '#') +
                      std::string(static_cast<size_t>(width - filled), '.') + "]";
    char cost[64] = "";
    if (p.maxCost > 0)
        std::snprintf(cost, sizeof cost, "  $%.2f of $%.2f", p.costUsed, p.maxCost);
    else if (p.costUsed > 0)
        std::snprintf(cost, sizeof cost, "  $%.4f", p.costUsed);
    char line[320];
    std::snprintf(line, sizeof line, "\r\033[K%s %d/%d children  evaluated %d  best %s%s  %s%s%s",
                  bar.c_str(), p.children, p.iterationBudget, p.evaluated,
                  formatScore(p.bestScore).c_str(),
                  p.bestId ? (" (#" + std::to_string(*p.bestId) + ")").c_str() : "",
                  formatDuration(p.elapsedSeconds).c_str(), cost,
                  p.paused ? "  paused"
                  : p.waitingForReview ? "  waiting for review"
                  : "");
    std::fputs(line, m_out);
    std::fflush(m_out);
    m_barShown = true;
}

void HeadlessPrinter::onEvent(const engine::RunEvent& e, const engine::RunProgress& p)
{
    namespace Kind = engine::EventKind;
    m_last = p;
    const std::string id = "#" + std::to_string(e.nodeId);
    if (e.kind == Kind::RunStarted) {
        const std::string sandbox = e.payload.value("sandbox", "?");
        const auto warning = engine::sandboxWarning(
            sandbox, engine::SandboxSession{
                         sandbox, e.payload.value("unenforced", std::vector<std::string>{}), {}, 0});
        printLine(formatted("started: strategy %s, %d worker(s), sandbox %s%s, budget %d children",
                            e.payload.value("strategy", "?").c_str(), e.payload.value("workers", 1),
                            sandbox.c_str(), warning.any() ? (" (" + warning.tag + ")").c_str() : "",
                            e.payload.value("iterations", 0)));
    } else if (e.kind == Kind::NodeAdded && e.nodeId > 0) {
        const auto parents = e.payload.value("parents", std::vector<int>{});
        const std::string status = e.payload.value("status", "");
        const auto& diff = e.payload["diff"];
        const int parent = parents.empty() ? -1 : parents.front();
        if (status == "failed")
            printLine(formatted("%-5s <- #%-4d proposal failed: %s", id.c_str(), parent,
                                shownText(e.payload, "error").c_str()));
        else if (status == "awaiting_approval")
            printLine(formatted("%-5s <- #%-4d HELD for review  %s (+%d -%d): clade review RUN",
                                id.c_str(), parent, shownText(e.payload, "description").c_str(),
                                diff.value("insertions", 0), diff.value("deletions", 0)));
        else
            printLine(formatted("%-5s <- #%-4d proposed  %s (+%d -%d)", id.c_str(), parent,
                                shownText(e.payload, "description").c_str(), diff.value("insertions", 0),
                                diff.value("deletions", 0)));
    } else if (e.kind == Kind::NodeEvaluated) {
        std::optional<double> score;
        if (e.payload.contains("score") && e.payload["score"].is_number())
            score = e.payload["score"].get<double>();
        printLine(formatted("%-5s          evaluated score %s on %d task(s)%s%s", id.c_str(),
                            formatScore(score).c_str(), e.payload.value("tasks", 0),
                            e.payload.contains("error") ? "  note: " : "",
                            shownText(e.payload, "error").c_str()));
    } else if (e.kind == Kind::NodeFailed && e.payload.contains("error")) {
        printLine(formatted("%-5s          failed    %s", id.c_str(), shownText(e.payload, "error").c_str()));
    } else if (e.kind == Kind::FlagsChanged) {
        std::string flags;
        for (const auto& f : e.payload.value("flags", std::vector<std::string>{}))
            flags += (flags.empty() ? "" : ", ") + f;
        // A guard's verdict is worth a line of its own: the score alone would have kept it.
        const std::string reason = shownText(e.payload, "reason");
        const auto guard = reason.find(engine::kFailedGuardsReason);
        printLine(formatted("%-5s          %s%s%s", id.c_str(),
                            flags.empty() ? "flags cleared" : flags.c_str(),
                            guard == std::string::npos ? "" : "  GUARD: ",
                            guard == std::string::npos ? "" : reason.substr(guard + engine::kFailedGuardsReason.size()).c_str()));
    } else if (e.kind == Kind::Decision) {
        const auto& details = e.payload.contains("details") ? e.payload["details"] : nlohmann::json::object();
        const std::string note = shownText(e.payload, "note");
        printLine(formatted("%-5s          %s by %s%s%s", id.c_str(),
                            details.value("outcome", e.payload.value("action", "")).c_str(),
                            e.payload.value("who", "?").c_str(), note.empty() ? "" : ": ", note.c_str()));
    } else if (e.kind == Kind::Requeued) {
        printLine(formatted("%-5s          re-queued (%s)", id.c_str(), shownText(e.payload, "reason").c_str()));
    }
    drawBar(p);
}

void HeadlessPrinter::finish()
{
    if (m_terminal && m_barShown)
        std::fputs("\r\033[K", m_out);
    m_barShown = false;
    std::fflush(m_out);
}

} // namespace clade::app
