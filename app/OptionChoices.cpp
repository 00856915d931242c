#include "app/OptionChoices.h"

#include "engine/importers/ImportFormats.h"
#include "engine/llm/LlmSettings.h"
#include "engine/review/ReviewPolicy.h"
#include "engine/strategy/Strategy.h"

namespace clade::app {

namespace {

QStringList fromStd(const std::vector<std::string>& names)
{
    QStringList list;
    for (const auto& name : names)
        list << QString::fromStdString(name);
    return list;
}

} // namespace

QStringList strategyChoices()
{
    return fromStd(engine::strategyNames());
}

QStringList proposerChoices()
{
    return {"command", "llm"};
}

QStringList sandboxChoices()
{
    return {"bwrap", "unsafe-rlimits"};
}

QStringList reviewChoices()
{
    using engine::ReviewPolicy;
    return fromStd({engine::toString(ReviewPolicy::Auto), engine::toString(ReviewPolicy::AskOnRisk),
                    engine::toString(ReviewPolicy::AskAlways)});
}

QStringList llmProviderChoices()
{
    return {llm::providerName(llm::ProviderKind::OpenAi),
            llm::providerName(llm::ProviderKind::Anthropic)};
}

QStringList importFormatChoices()
{
    return fromStd(engine::importFormatNames());
}

QStringList explorerTabChoices()
{
    return {"inspector", "diff", "charts", "pareto", "logs", "nodes", "review", "elites"};
}

} // namespace clade::app
