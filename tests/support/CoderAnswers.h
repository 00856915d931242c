#pragma once
// Scripted model answers for tst_coderrun: the reference solution of whichever task the
// coder agent asks about, and an improvement of its own scaffold when its propose step
// asks. Raw strings live here because moc cannot parse them in a test's .cpp file.

#include "support/ScriptedModel.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace testsupport::coder {

inline constexpr const char* kImprovedSystemPrompt = R"(SUMMARY: Tell the model to list the edge cases before it writes code.
FILE: scaffold/prompts/system.md

```markdown
You are an expert Python programmer. Before writing code, list the edge cases the
specification names (empty inputs, negative numbers, malformed input that must raise).
(scripted improvement)
```
)";

/// Function name -> reference solution, from the example's tasks and the test fixtures.
inline std::map<std::string, std::string> referenceSolutions(const std::filesystem::path& source)
{
    std::map<std::string, std::string> solutions;
    for (const auto& entry :
         std::filesystem::directory_iterator(source / "examples/coder/harness/tasks")) {
        std::ifstream taskFile(entry.path());
        const auto task = nlohmann::json::parse(taskFile);
        std::ifstream solution(source / "tests/fixtures/coder/solutions" /
                               (task.at("id").get<std::string>() + ".py"));
        std::ostringstream text;
        text << solution.rdbuf();
        solutions[task.at("function").get<std::string>()] = text.str();
    }
    return solutions;
}

/// The function a solve request asks for ("Write the Python function `def name(").
inline std::string requestedFunction(const std::string& prompt)
{
    const std::string marker = "`def ";
    const auto start = prompt.find(marker);
    if (start == std::string::npos)
        return {};
    const auto end = prompt.find('(', start);
    return prompt.substr(start + marker.size(), end - start - marker.size());
}

inline bool isProposeRequest(const std::string& prompt)
{
    return prompt.find("SUMMARY:") != std::string::npos && prompt.find("FILE:") != std::string::npos;
}

} // namespace testsupport::coder
