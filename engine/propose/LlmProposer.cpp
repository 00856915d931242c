#include "engine/propose/LlmProposer.h"

#include "engine/git/FileSetCommit.h"
#include "engine/git/Repository.h"
#include "engine/llm/LlmClient.h"
#include "engine/llm/Usage.h"
#include "engine/manifest/PathPattern.h"
#include "engine/propose/AnswerEdits.h"
#include "engine/propose/PromptBuilder.h"

#include <algorithm>
#include <chrono>

namespace clade::engine {

namespace {

/// Files larger than this are not shown to the model (nor editable through it): a prompt
/// holding them would not fit most models' context.
constexpr std::size_t kMaxFileBytes = 100 * 1024;
/// And all shown files together at most this: an agent with many evolvable files gets the
/// smaller ones shown and the rest named as left out, rather than a prompt no model takes.
constexpr std::size_t kMaxFilesBytes = 256 * 1024;

bool isText(const std::string& content)
{
    return content.find('\0') == std::string::npos;
}

std::string trim(std::string text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

/// Keeps the smallest files within `budget` bytes together; the others move to `leftOut`.
void leaveOutBeyond(std::map<std::string, std::string>& files, std::size_t budget,
                    std::vector<std::string>& leftOut)
{
    std::vector<std::pair<std::size_t, std::string>> bySize;
    for (const auto& [path, content] : files)
        bySize.emplace_back(content.size(), path);
    std::sort(bySize.begin(), bySize.end());
    std::size_t used = 0;
    for (const auto& [size, path] : bySize) {
        if (used + size <= budget) {
            used += size;
        } else {
            leftOut.push_back(path);
            files.erase(path);
        }
    }
    std::sort(leftOut.begin(), leftOut.end());
}

/// Why the applied edits may not become a child, or "" when they may.
std::string editsRefused(const AppliedAnswer& applied, const Manifest& manifest)
{
    for (const auto& path : applied.changed)
        if (!manifest.isEvolvable(path))
            return "the answer changes " + path +
                   ", which is not an evolvable file of this agent (change only the files shown)";
    if (applied.changed.empty())
        return "the answer's edits leave every file as it was";
    return {};
}

} // namespace

std::string answerDescription(const std::string& answer)
{
    size_t start = 0;
    bool inFence = false;
    while (start < answer.size()) {
        size_t end = answer.find('\n', start);
        if (end == std::string::npos)
            end = answer.size();
        std::string line = trim(answer.substr(start, end - start));
        start = end + 1;
        if (line.rfind("```", 0) == 0) {
            inFence = !inFence;
            continue;
        }
        if (inFence || line.empty() || line.rfind("<<<<<<<", 0) == 0 || line.rfind("---", 0) == 0 ||
            line.rfind("+++", 0) == 0 || line.rfind("@@", 0) == 0)
            continue;
        line.erase(0, line.find_first_not_of("#*>- "));
        for (const char* label : {"Description:", "Change:", "Summary:"})
            if (line.rfind(label, 0) == 0)
                line = trim(line.substr(std::string(label).size()));
        while (!line.empty() && line.back() == '*')
            line.pop_back();
        if (line.empty())
            continue;
        return line.size() > 200 ? line.substr(0, 200) + "..." : line;
    }
    return "(no description)";
}

LlmProposer::LlmProposer(const Manifest& manifest, PromptTemplates templates,
                         llm::LlmClient& client, llm::CostBudget& budget, int answerRetries)
    : m_manifest(manifest), m_templates(std::move(templates)), m_client(client), m_budget(budget),
      m_answerRetries(std::max(0, answerRetries))
{
}

ProposalOutcome LlmProposer::propose(git::Repository& repo, const Request& request,
                                     const std::atomic<bool>* cancel)
{
    const auto started = std::chrono::steady_clock::now();
    const llm::Redactor redact = m_client.redactor();
    ProposalOutcome outcome;
    std::string log = "llm proposer: model " + m_client.settings().model + " at " +
                      m_client.settings().effectiveBaseUrl() + "\n";
    auto finish = [&](ProposalOutcome::Kind kind, std::string error) {
        outcome.kind = kind;
        outcome.error = redact(error);
        log += kind == ProposalOutcome::Kind::Proposed ? "applied: " + outcome.description + "\n"
                                                       : "not proposed: " + outcome.error + "\n";
        outcome.log = log;
        outcome.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return outcome;
    };

    const git::Oid parentCommit = git::Oid::fromHex(request.parent.commit);
    std::vector<std::string> tooLarge;
    auto files = git::readCommitFiles(
        repo.raw(), parentCommit,
        [this](const std::string& path) { return m_manifest.isEvolvable(path); }, kMaxFileBytes,
        &tooLarge);
    for (auto it = files.begin(); it != files.end();) {
        if (isText(it->second)) {
            ++it;
        } else {
            tooLarge.push_back(it->first);
            it = files.erase(it);
        }
    }
    leaveOutBeyond(files, kMaxFilesBytes, tooLarge);

    PromptInput input{m_manifest, request.parent, request.history, files, tooLarge,
                      request.parentEvaluateLog};
    const auto vars = promptVariables(input);
    llm::ChatRequest chat;
    chat.messages = {{llm::Role::System, renderTemplate(m_templates.system, vars, "prompts/system.md")},
                     {llm::Role::User, renderTemplate(m_templates.user, vars, "prompts/user.md")}};
    outcome.prompt = redact("## system\n\n" + chat.messages[0].content + "\n\n## user\n\n" +
                            chat.messages[1].content);
    const std::string defaultPath = files.size() == 1 ? files.begin()->first : std::string();

    std::string refusal;
    for (int attempt = 0; attempt <= m_answerRetries; ++attempt) {
        if (!m_budget.allows())
            return finish(ProposalOutcome::Kind::Failed, m_budget.describe());
        llm::ChatResponse answer;
        try {
            answer = m_client.complete(chat, cancel);
        } catch (const llm::LlmError& e) {
            if (e.kind() == llm::LlmError::Kind::Cancelled)
                return finish(ProposalOutcome::Kind::Cancelled, "cancelled");
            if (e.isFatal())
                throw;
            outcome.response += "## model call failed\n\n" + redact(e.what()) + "\n";
            return finish(ProposalOutcome::Kind::Failed, std::string("model call failed: ") + e.what());
        }
        m_budget.charge(answer.costUsd);
        outcome.usage.add(answer);
        log += "call " + std::to_string(attempt + 1) + ": " +
               std::to_string(answer.usage.inputTokens) + " tokens in, " +
               std::to_string(answer.usage.outputTokens) + " out, $" +
               std::to_string(answer.costUsd) + (answer.priceMissing ? " (model not priced)" : "") +
               ", " + std::to_string(answer.totalSeconds) + " s, " +
               std::to_string(answer.attempts) + " attempt(s), finish " + answer.finishReason + "\n";
        outcome.response += "## answer " + std::to_string(attempt + 1) + "\n\n" +
                            redact(answer.text) + "\n\n";

        AppliedAnswer applied = applyAnswer(answer.text, files, defaultPath);
        refusal = applied.ok ? editsRefused(applied, m_manifest) : applied.error;
        if (refusal.empty()) {
            outcome.description = redact(answerDescription(answer.text));
            std::map<std::string, std::string> written;
            for (const auto& path : applied.changed)
                if (const auto it = applied.files.find(path); it != applied.files.end())
                    written.emplace(path, it->second);
            try {
                const git::Oid child = git::commitEdits(
                    repo.raw(), parentCommit, written, applied.deleted, {parentCommit},
                    outcome.description + "\n\nclade-node: " + std::to_string(request.childId) +
                        "\n");
                if (repo.treeOf(child) == repo.treeOf(parentCommit)) {
                    refusal = "the answer's edits leave every file as it was";
                } else {
                    const auto stats = repo.diffStats(parentCommit, child);
                    outcome.diff = {stats.filesChanged, stats.insertions, stats.deletions};
                    outcome.commit = child.hex();
                    return finish(ProposalOutcome::Kind::Proposed, {});
                }
            } catch (const std::exception& e) {
                // A path the tree cannot hold (a file where a folder is) is the answer's
                // fault, not the repository's.
                refusal = std::string("the edits cannot be committed: ") + e.what();
            }
        }
        outcome.response += "## not applied\n\n" + refusal + "\n\n";
        log += "answer " + std::to_string(attempt + 1) + " not applied: " + refusal + "\n";
        if (attempt < m_answerRetries) {
            auto retryVars = vars;
            retryVars["error"] = refusal;
            chat.messages.push_back({llm::Role::Assistant, answer.text});
            chat.messages.push_back(
                {llm::Role::User, renderTemplate(m_templates.retry, retryVars, "prompts/retry.md")});
        }
    }
    outcome.description = "(answer not applied)";
    return finish(ProposalOutcome::Kind::Failed, "the model's answer does not apply: " + refusal);
}

} // namespace clade::engine
