#include "engine/review/ReviewPolicy.h"

#include "engine/util/InputError.h"

namespace clade::engine {

std::string toString(ReviewPolicy policy)
{
    switch (policy) {
    case ReviewPolicy::Auto:
        return "auto";
    case ReviewPolicy::AskOnRisk:
        return "ask-on-risk";
    case ReviewPolicy::AskAlways:
        return "ask-always";
    }
    return "auto";
}

ReviewPolicy reviewPolicyFromString(const std::string& name, const std::string& field)
{
    if (name == "auto")
        return ReviewPolicy::Auto;
    if (name == "ask-on-risk")
        return ReviewPolicy::AskOnRisk;
    if (name == "ask-always")
        return ReviewPolicy::AskAlways;
    throw InputError(field + ": '" + name + "' is not a review policy (expected auto, ask-on-risk or ask-always)");
}

bool holdsProposal(ReviewPolicy policy, const std::vector<Finding>& findings)
{
    switch (policy) {
    case ReviewPolicy::Auto:
        return false;
    case ReviewPolicy::AskOnRisk:
        return !findings.empty();
    case ReviewPolicy::AskAlways:
        return true;
    }
    return false;
}

bool holdsKeep(ReviewPolicy policy)
{
    return policy != ReviewPolicy::Auto;
}

} // namespace clade::engine
