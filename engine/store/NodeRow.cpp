#include "engine/store/NodeRow.h"

namespace clade::engine {
namespace {

// Called once per row when 100,000 nodes are read: the first letter picks the candidate,
// one compare confirms it (instead of trying every name in turn).
NodeStatus statusOf(const std::string& text)
{
    NodeStatus guess = NodeStatus::Proposed;
    switch (text.empty() ? '\0' : text[0]) {
    case 'a': guess = NodeStatus::AwaitingApproval; break;
    case 'f': guess = NodeStatus::Failed; break;
    case 'r': guess = NodeStatus::Rejected; break;
    case 'p': guess = NodeStatus::Proposed; break;
    case 'e': guess = text.size() > 7 && text[7] == 'e' ? NodeStatus::Evaluated : NodeStatus::Evaluating; break;
    default: return nodeStatusFromString(text); // throws for an unknown name
    }
    return toString(guess) == text ? guess : nodeStatusFromString(text);
}

} // namespace

Node readNodeRow(const Statement& st)
{
    Node n;
    n.id = st.integer(0);
    n.commit = st.text(1);
    n.status = statusOf(st.text(2));
    n.flags = static_cast<unsigned>(st.int64(3));
    n.score = st.optionalReal(4);
    n.stage = st.integer(5);
    n.description = st.text(6);
    n.proposer.kind = st.text(7);
    n.proposer.model = st.text(8);
    n.proposer.tokensIn = st.int64(9);
    n.proposer.tokensOut = st.int64(10);
    n.proposer.cost = st.real(11);
    n.diff = {st.integer(12), st.integer(13), st.integer(14)};
    n.error = st.text(15);
    n.createdAt = st.real(16);
    n.updatedAt = st.real(17);
    n.proposeSeconds = st.real(18);
    n.evaluateSeconds = st.real(19);
    return n;
}

} // namespace clade::engine
