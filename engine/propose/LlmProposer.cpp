#include "engine/propose/LlmProposer.h"

#include "engine/git/FileSetCommit.h"
#include "engine/git/Repository.h"
#include "engine/llm/LlmClient.h"
#include "engine/llm/Usage.h"
#include "engine/propose/AnswerDescription.h"
#include "engine/propose/AnswerEdits.h"
#include "engine/propose/PromptBuilder.h"
#include "engine/util/Utf8Text.h"

#include <algorithm>
#include <chrono>
#include <optional>

namespace clade::engine {

namespace {

/// Files larger than this are not shown to the model (nor editable through it): a prompt
/// holding them would not fit most models' context.
constexpr std::size_t kMaxFileBytes = 100 * 1024;
/// And all shown files together at most this: an agent with many evolvable files gets the
/// smaller ones shown and the rest named as left out, rather than a prompt no model takes.
constexpr std::size_t kMaxFilesBytes = 256 * 1024;

// Shown to the model only as text it can quote back: no NUL, and UTF-8 (a request is
// JSON, which holds nothing else; a Latin-1 file shown with U+FFFD in it would come back
// rewritten with them). Such a file is left out, as a binary one is.
bool isText(const std::string& content)
{
    return content.find('\0') == std::string::npos && isValidUtf8(content);
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

LlmProposer::LlmProposer(const Manifest& manifest, PromptTemplates templates,
                         llm::LlmClient& client, llm::CostBudget& budget,
                         std::atomic<int>& refusedInARow, Options options)
    : m_manifest(manifest), m_templates(std::move(templates)), m_client(client), m_budget(budget),
      m_refusedInARow(refusedInARow), m_answerRetries(std::max(0, options.answerRetries)),
      m_reflexionRounds(std::max(0, options.reflexionRounds))
{
}

namespace {

/// One model answer turned into a commit, when it applies.
struct Candidate {
    std::string commit;
    std::string description;
    DiffSummary diff;
};

/// Applies `answer` to the parent's files and commits the result (an object only: no ref
/// names it until the node is recorded). Returns why it cannot be a child, or "" with
/// `candidate` filled in.
/// What the prompt showed of the parent: the files (path -> content), the evolvable ones
/// it left out (too large, or not text), and the file a block without a name applies to.
struct ShownFiles {
    const std::map<std::string, std::string>& files;
    const std::vector<std::string>& leftOut;
    const std::string& defaultPath;
};

std::string commitAnswer(git::Repository& repo, const git::Oid& parent, const Manifest& manifest,
                         const ShownFiles& shown, const std::string& answer,
                         std::string description, int childId, Candidate& candidate)
{
    AppliedAnswer applied = applyAnswer(answer, shown.files, shown.defaultPath);
    if (std::string refusal = applied.ok ? editsRefused(applied, manifest) : applied.error;
        !refusal.empty())
        return refusal;
    // The model never saw a file the prompt left out, so it may not overwrite it (a
    // whole-file answer would otherwise replace it as if it were new).
    for (const auto& path : applied.changed)
        if (std::find(shown.leftOut.begin(), shown.leftOut.end(), path) != shown.leftOut.end())
            return "the answer rewrites " + path +
                   ", which was not shown to you (too large for the prompt); leave it as it is";
    std::map<std::string, std::string> written;
    for (const auto& path : applied.changed)
        if (const auto it = applied.files.find(path); it != applied.files.end())
            written.emplace(path, it->second);
    const auto commit = [&](const std::string& message) {
        return git::commitEdits(repo.raw(), parent, written, applied.deleted, {parent},
                                message + "\n\nclade-node: " + std::to_string(childId) + "\n");
    };
    try {
        git::Oid child = commit(description);
        if (repo.treeOf(child) == repo.treeOf(parent))
            return "the answer's edits leave every file as it was";
        const auto stats = repo.diffStats(parent, child);
        if (description.empty()) {
            // Edits without prose are named by what they change, known only once committed;
            // committing again with that message writes one commit object, the tree is the same.
            description = changeDescription(stats);
            child = commit(description);
        }
        candidate = {child.hex(), description, {stats.filesChanged, stats.insertions, stats.deletions}};
        return {};
    } catch (const std::exception& e) {
        // A path the tree cannot hold (a file where a folder is) is the answer's fault,
        // not the repository's.
        return std::string("the edits cannot be committed: ") + e.what();
    }
}

std::string callLine(int number, const llm::ChatResponse& answer)
{
    return "call " + std::to_string(number) + ": " + std::to_string(answer.usage.inputTokens) +
           " tokens in, " + std::to_string(answer.usage.outputTokens) + " out, $" +
           std::to_string(answer.costUsd) + (answer.priceMissing ? " (model not priced)" : "") +
           ", " + std::to_string(answer.totalSeconds) + " s, " + std::to_string(answer.attempts) +
           " attempt(s), finish " + answer.finishReason + "\n";
}

} // namespace

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

    // One call; nullopt after a model error that ends the proposal (`failure` says why).
    int calls = 0;
    std::string failure;
    auto ask = [&]() -> std::optional<llm::ChatResponse> {
        if (!m_budget.allows()) {
            failure = m_budget.describe();
            return std::nullopt;
        }
        try {
            llm::ChatResponse answer = m_client.complete(chat, cancel);
            m_refusedInARow = 0;
            m_budget.charge(answer.costUsd);
            outcome.usage.add(answer);
            log += callLine(++calls, answer);
            if (answer.invalidUtf8Bytes > 0)
                log += "answer " + std::to_string(calls) + ": " + std::to_string(answer.invalidUtf8Bytes) +
                       " byte(s) that are not UTF-8, replaced with U+FFFD\n";
            outcome.response += "## answer " + std::to_string(calls) + "\n\n" +
                                redact(answer.text) + "\n\n";
            return answer;
        } catch (const llm::LlmError& e) {
            if (e.isFatal())
                throw;
            if (e.kind() == llm::LlmError::Kind::Rejected) {
                if (const int refused = ++m_refusedInARow; refused >= kRefusalsBeforeStop)
                    throw llm::LlmError(llm::LlmError::Kind::Fatal,
                                        "the model server refused " + std::to_string(refused) +
                                            " requests in a row; the last: " + e.what(),
                                        e.httpStatus(), e.attempts());
            }
            failure = e.kind() == llm::LlmError::Kind::Cancelled
                          ? std::string("cancelled")
                          : std::string("model call failed: ") + e.what();
            outcome.response += "## model call failed\n\n" + redact(e.what()) + "\n\n";
            return std::nullopt;
        }
    };
    auto failed = [&] {
        return finish(failure == "cancelled" ? ProposalOutcome::Kind::Cancelled
                                             : ProposalOutcome::Kind::Failed,
                      failure);
    };

    // An answer as a child commit; "" when it became one, else why not.
    const ShownFiles shown{files, tooLarge, defaultPath};
    auto tryAnswer = [&](const std::string& text, Candidate& candidate) {
        return commitAnswer(repo, parentCommit, m_manifest, shown, text,
                            answerDescription(redact(text)), request.childId, candidate);
    };

    // An answer that applies, retried with the reason when one does not.
    std::optional<Candidate> accepted;
    std::string lastAnswer;
    std::string refusal;
    for (int attempt = 0; attempt <= m_answerRetries && !accepted; ++attempt) {
        const auto answer = ask();
        if (!answer)
            return failed();
        lastAnswer = answer->text;
        Candidate candidate;
        refusal = tryAnswer(answer->text, candidate);
        if (refusal.empty()) {
            accepted = candidate;
            break;
        }
        outcome.response += "## not applied\n\n" + refusal + "\n\n";
        log += "answer " + std::to_string(calls) + " not applied: " + refusal + "\n";
        auto retryVars = vars;
        retryVars["error"] = refusal;
        chat.messages.push_back({llm::Role::Assistant, answer->text});
        chat.messages.push_back(
            {llm::Role::User, renderTemplate(m_templates.retry, retryVars, "prompts/retry.md")});
    }
    if (!accepted) {
        outcome.description = "(answer not applied)";
        return finish(ProposalOutcome::Kind::Failed, "the model's answer does not apply: " + refusal);
    }

    // Reflexion (ADAS): the model reviews its own change and may revise it. A revision
    // that does not apply, or a failed call, keeps the change already accepted.
    for (int round = 1; round <= m_reflexionRounds; ++round) {
        chat.messages.push_back({llm::Role::Assistant, lastAnswer});
        chat.messages.push_back(
            {llm::Role::User, renderTemplate(m_templates.reflect, vars, "prompts/reflect.md")});
        const auto answer = ask();
        if (!answer) {
            if (failure == "cancelled")
                return failed();
            log += "reflexion round " + std::to_string(round) + " ended: " + redact(failure) +
                   "; keeping the accepted change\n";
            break;
        }
        lastAnswer = answer->text;
        Candidate revised;
        const std::string why = tryAnswer(answer->text, revised);
        if (why.empty()) {
            log += "reflexion round " + std::to_string(round) + ": " +
                   (revised.commit == accepted->commit ? "unchanged" : "revised") + "\n";
            accepted = revised;
        } else {
            outcome.response += "## reflexion not applied\n\n" + why + "\n\n";
            log += "reflexion round " + std::to_string(round) + " not applied: " + why +
                   "; keeping the accepted change\n";
        }
    }
    outcome.description = accepted->description;
    outcome.commit = accepted->commit;
    outcome.diff = accepted->diff;
    return finish(ProposalOutcome::Kind::Proposed, {});
}

} // namespace clade::engine
