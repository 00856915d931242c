#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace clade::engine {

/// The llm proposer's prompt: a system message, the request, the message that sends an
/// answer that did not apply back to the model, and the one that asks it to review its own
/// answer (ADAS's reflexion rounds, --llm-reflexion). Text with {{name}} placeholders.
/// Each run keeps its own copy in `<run>/prompts/` (written at creation from the built-in
/// ones, resources/prompts/), so a researcher can edit a run's prompts between sessions
/// and the run records what it asked.
struct PromptTemplates {
    std::string system;
    std::string user;
    std::string retry;
    std::string reflect;

    static PromptTemplates builtIn();
    /// Reads system.md, user.md, retry.md and reflect.md from `folder`; an InputError names
    /// a file that is missing or unreadable.
    static PromptTemplates load(const std::filesystem::path& folder);
    void save(const std::filesystem::path& folder) const;
};

/// Replaces each {{name}} with vars[name]. A placeholder with no value is an InputError
/// naming it and `where` (the template's file), so a typo in an edited template shows at
/// once instead of sending the model a literal "{{flies}}".
std::string renderTemplate(const std::string& text, const std::map<std::string, std::string>& vars,
                           const std::string& where);

} // namespace clade::engine
