#include "engine/run/RunCreator.h"

#include "engine/eval/HarnessPin.h"
#include "engine/git/Repository.h"
#include "engine/propose/PromptTemplates.h"
#include "engine/review/ReviewPolicy.h"
#include "engine/sandbox/Sandbox.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"
#include "engine/strategy/Strategy.h"
#include "engine/util/AtomicFile.h"
#include "engine/util/InputError.h"
#include "engine/util/ScratchSpace.h"

#include <unistd.h>

namespace clade::engine {
namespace fs = std::filesystem;

std::vector<std::string> snapshotIgnores(const Manifest& manifest)
{
    auto ignore = manifest.ignore;
    ignore.emplace_back(".git/");
    // Hidden tests must not reach candidate code through its own checkout either, when the
    // harness lies inside the agent folder (the score phase reads the pinned copy).
    if (const auto harness = manifest.harnessRelativePath())
        for (const auto& hidden : manifest.harnessHidden)
            ignore.push_back(*harness + "/" + hidden);
    return ignore;
}

void validateSettings(const RunSettings& s)
{
    makeStrategy(s.strategy, s.strategyParams, s.seed); // throws for a bad name/parameter
    if (s.proposer != "command" && s.proposer != "llm")
        throw InputError("--proposer: '" + s.proposer + "' is not a proposer (expected command or llm)");
    if (s.proposer == "llm" && !s.llm)
        throw InputError("--proposer llm: expected a model to call (--llm-provider openai|anthropic "
                         "--llm-model NAME, and --llm-base-url / --llm-key-env as the server needs)");
    if (s.maxCost < 0)
        throw InputError("--max-cost: expected a number of USD >= 0 (0 = no budget)");
    if (s.answerRetries < 0 || s.answerRetries > 5)
        throw InputError("--llm-answer-retries: expected a number from 0 to 5");
    if (s.reflexionRounds < 0 || s.reflexionRounds > 5)
        throw InputError("--llm-reflexion: expected a number from 0 to 5");
    try {
        makeSandbox(s.sandbox);
    } catch (const std::invalid_argument& e) {
        throw InputError(std::string("--sandbox: ") + e.what());
    }
    if (s.iterations < 0)
        throw InputError("--iterations: expected a number >= 0");
    if (s.workers < 1 || s.workers > 64)
        throw InputError("--workers: expected a number from 1 to 64");
    if (s.maxMinutes < 0)
        throw InputError("--max-minutes: expected a number >= 0");
    if (s.maxTaskEvaluations < 0)
        throw InputError("--max-evaluations: expected a number >= 0 (per-task evaluations; 0 = "
                         "no budget)");
    reviewPolicyFromString(s.review); // throws naming --review
}

fs::path createRun(const fs::path& agentDir, const fs::path& out, const RunSettings& settings)
{
    Manifest manifest = loadManifest(agentDir);
    validateSettings(settings);
    if (settings.proposer == "command" && !manifest.propose)
        throw InputError::field(manifest.file.string(), "propose",
                                "a propose command (the command proposer needs one; or start "
                                "the run with --proposer llm)");
    if (!manifest.llmGateway.empty() && !settings.llm)
        throw InputError(manifest.file.string() +
                         ": this agent calls a model through the gateway (field 'llm_gateway'); "
                         "expected the model to use: --llm-provider openai|anthropic --llm-model "
                         "NAME (and --llm-base-url / --llm-key-env as the server needs)");

    const fs::path target = fs::absolute(out).lexically_normal();
    std::error_code ec;
    if (fs::exists(target, ec) && !(fs::is_directory(target) && fs::is_empty(target)))
        throw InputError(target.string() + ": already exists (expected a new or empty folder "
                                           "for the run)");
    const fs::path parent = target.parent_path();
    fs::create_directories(parent);
    const fs::path staging =
        parent / ("." + target.filename().string() + ".partial-" + std::to_string(::getpid()));
    removeTree(staging);
    fs::create_directory(staging);
    try {
        const RunFolder folder{staging};
        RunConfig config;
        config.name = target.filename().string();
        config.createdAt = unixNow();
        config.agentSource = fs::absolute(agentDir).lexically_normal();
        config.settings = settings;
        copyFolder(manifest.harnessDir, folder.harness());
        config.harnessSha256 = hashFolder(folder.harness());
        config.manifest = manifest;

        auto repo = git::Repository::initBare(folder.repo());
        const git::Oid root = repo.commitDirectory(
            config.agentSource, {}, "root: " + manifest.name + " as given\n\nclade-node: 0\n",
            snapshotIgnores(manifest));
        repo.setReference(RunFolder::nodeRef(0), root, "clade: root");

        fs::create_directories(folder.artifacts(0));
        {
            RunStore store(folder.database());
            Node node;
            node.id = 0;
            node.commit = root.hex();
            node.status = NodeStatus::Proposed;
            node.description = "root: " + manifest.name + " as given";
            node.proposer.kind = "root";
            node.createdAt = node.updatedAt = unixNow();
            store.insertNode(node);
            store.appendEvent("run_created", -1, {{"name", config.name}});
        }
        if (settings.proposer == "llm")
            PromptTemplates::builtIn().save(folder.prompts());
        config.save(staging);
        syncDirectory(folder.artifacts());
        syncDirectory(staging);
        if (fs::exists(target))
            fs::remove(target); // an empty folder the user made for us
        fs::rename(staging, target);
        syncDirectory(parent);
    } catch (...) {
        removeTree(staging);
        throw;
    }
    return target;
}

} // namespace clade::engine
