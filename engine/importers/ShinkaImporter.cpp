#include "engine/importers/ShinkaImporter.h"

#include "engine/importers/JsonText.h"
#include "engine/util/InputError.h"
#include "engine/util/Utf8Text.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <set>

#include <sqlite3.h>

namespace clade::engine {
namespace {

namespace fs = std::filesystem;

// The columns read, in SELECT order. The first four are required; a database without
// one of the others (an older Shinka) reads them as NULL.
constexpr const char* kColumns[] = {"id", "code", "parent_id", "generation", "language",
                                    "archive_inspiration_ids", "top_k_inspiration_ids", "timestamp",
                                    "code_diff", "combined_score", "public_metrics", "private_metrics",
                                    "correct", "metadata", "island_idx", "text_feedback"};
constexpr std::size_t kRequired = 4;

enum Column { Id, Code, ParentId, Generation, Language, ArchiveInspirations, TopKInspirations, Timestamp,
              CodeDiff, CombinedScore, PublicMetrics, PrivateMetrics, Correct, Metadata, IslandIdx,
              TextFeedback, ColumnCount };

struct Value {
    std::string type; ///< SQLite's typeof(): "null", "integer", "real", "text", "blob"
    std::string text;
    double number = 0;
    bool isNumber() const { return type == "integer" || type == "real"; }
    bool isNull() const { return type == "null"; }
};

struct Program {
    std::array<Value, ColumnCount> v;
    std::string id;
    std::string parent;
};

bool hasSqliteHeader(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    char header[16] = {};
    in.read(header, sizeof header);
    return in.gcount() == 16 && std::string(header, 15) == "SQLite format 3";
}

struct CloseDb {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct Finalize {
    void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
};
using Connection = std::unique_ptr<sqlite3, CloseDb>;
using Query = std::unique_ptr<sqlite3_stmt, Finalize>;

[[noreturn]] void fail(sqlite3* db, const fs::path& file, const std::string& what)
{
    throw InputError(file.string() + ": " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory") +
                     " (expected a ShinkaEvolve SQLite database)");
}

// Opens the database so that nothing is written next to it. Shinka keeps its database in
// WAL mode, and even a read-only connection to a WAL database leaves -wal and -shm files
// behind, so a finished run (no -wal file) is opened as immutable; a live run (a -wal file
// exists, holding its newest programs) is opened read-only through the files it has.
Connection openReadOnly(const fs::path& file)
{
    std::string uri = "file:";
    for (const char c : fs::absolute(file).string()) {
        if (c == '%' || c == '?' || c == '#') {
            char escaped[4];
            std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
            uri += escaped;
        } else {
            uri += c;
        }
    }
    std::error_code ec;
    uri += fs::exists(file.string() + "-wal", ec) ? "?mode=ro" : "?mode=ro&immutable=1";
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(uri.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
    Connection db(raw);
    if (rc != SQLITE_OK)
        fail(raw, file, "cannot open");
    sqlite3_busy_timeout(raw, 10000);
    return db;
}

Query prepare(sqlite3* db, const fs::path& file, const std::string& sql)
{
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr) != SQLITE_OK)
        fail(db, file, "cannot read");
    return Query(raw);
}

bool step(sqlite3* db, const fs::path& file, sqlite3_stmt* st)
{
    const int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return true;
    if (rc != SQLITE_DONE)
        fail(db, file, "cannot read");
    return false;
}

std::string text(sqlite3_stmt* st, int column)
{
    const auto* data = sqlite3_column_text(st, column);
    return data ? std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(sqlite3_column_bytes(st, column)))
                : std::string();
}

std::set<std::string> columnsOf(sqlite3* db, const fs::path& file, const std::string& table)
{
    std::set<std::string> columns;
    const Query st = prepare(db, file, "SELECT name FROM pragma_table_info('" + table + "')");
    while (step(db, file, st.get()))
        columns.insert(text(st.get(), 0));
    return columns;
}

std::vector<Program> readPrograms(sqlite3* db, const fs::path& file, std::set<std::string>& archive)
{
    const std::set<std::string> columns = columnsOf(db, file, "programs");
    if (columns.empty())
        throw InputError(file.string() + ": no \"programs\" table (expected a ShinkaEvolve evolution database "
                                         "with programs(id, code, parent_id, generation, combined_score, ...))");
    std::string missing, select;
    for (std::size_t i = 0; i < ColumnCount; ++i) {
        const std::string name = kColumns[i];
        if (!columns.count(name)) {
            if (i < kRequired)
                missing += (missing.empty() ? "" : ", ") + name;
            select += std::string(select.empty() ? "" : ", ") + "NULL, 'null'";
        } else {
            select += std::string(select.empty() ? "" : ", ") + "\"" + name + "\", typeof(\"" + name + "\")";
        }
    }
    if (!missing.empty())
        throw InputError(file.string() + ": the programs table lacks column(s) " + missing +
                         " (expected ShinkaEvolve's programs(id, code, parent_id, generation, ...))");
    std::vector<Program> programs;
    const Query st = prepare(db, file, "SELECT " + select + " FROM programs");
    while (step(db, file, st.get())) {
        Program program;
        for (int i = 0; i < ColumnCount; ++i) {
            Value& value = program.v[static_cast<std::size_t>(i)];
            value.type = text(st.get(), 2 * i + 1);
            if (value.isNumber())
                value.number = sqlite3_column_double(st.get(), 2 * i);
            if (!value.isNull())
                value.text = text(st.get(), 2 * i);
        }
        programs.push_back(std::move(program));
    }
    if (columnsOf(db, file, "archive").count("program_id")) {
        const Query kept = prepare(db, file, "SELECT program_id FROM archive");
        while (step(db, file, kept.get()))
            archive.insert(toValidUtf8(text(kept.get(), 0))); // as the ids are
    }
    return programs;
}

// A JSON column, or null when it is empty or malformed (with a warning naming the program).
nlohmann::json jsonColumn(const Value& value, const std::string& what, const std::string& id,
                          const fs::path& file, std::vector<std::string>& warnings)
{
    if (value.type != "text" || value.text.empty())
        return nullptr;
    try {
        LenientJson json = parseLenientJson(value.text, file);
        if (json.invalidUtf8Bytes > 0)
            warnings.push_back("program " + id + ": " + what + " held " + std::to_string(json.invalidUtf8Bytes) +
                               " byte(s) that are not UTF-8, replaced with U+FFFD");
        return std::move(json.value);
    } catch (const InputError&) {
        warnings.push_back("program " + id + ": " + what + " is not valid JSON; ignored");
        return nullptr;
    }
}

std::vector<std::string> idList(const nlohmann::json& list)
{
    std::vector<std::string> ids;
    if (!list.is_array())
        return ids;
    for (const auto& id : list) {
        if (id.is_string())
            ids.push_back(id.get<std::string>());
        else if (id.is_number_integer())
            ids.push_back(std::to_string(id.get<long long>()));
    }
    return ids;
}

// Shinka names a program's file main.<ext> by its language (shinka/utils/languages.py).
std::string mainFile(const std::string& language, std::vector<std::string>& warnings)
{
    static const std::map<std::string, std::string> extension{
        {"python", "py"}, {"cpp", "cpp"}, {"cuda", "cu"}, {"rust", "rs"}, {"swift", "swift"},
        {"json", "json"}, {"json5", "json"}};
    if (language.empty())
        return "main.py";
    if (const auto it = extension.find(language); it != extension.end())
        return "main." + it->second;
    const std::string warning = "language '" + language + "' is not one Shinka names; its programs are main.txt";
    if (std::find(warnings.begin(), warnings.end(), warning) == warnings.end())
        warnings.push_back(warning);
    return "main.txt";
}

void addMetrics(const nlohmann::json& object, const std::string& prefix, ImportedNode& node)
{
    if (!object.is_object())
        return;
    for (const auto& [key, value] : object.items())
        if (value.is_number() && std::isfinite(value.get<double>()))
            node.metrics[prefix + key] = value.get<double>();
}

// Orders programs by generation with every parent before its children: a parent with a
// later generation (a clock skew, an edited table) is moved up; a cycle is broken where it
// closes, with a warning.
std::vector<std::size_t> parentsFirst(const std::vector<Program>& programs,
                                      const std::map<std::string, std::size_t>& indexOf,
                                      std::vector<std::string>& warnings, std::set<std::size_t>& cycleBroken)
{
    std::vector<std::size_t> byGeneration(programs.size());
    for (std::size_t i = 0; i < programs.size(); ++i)
        byGeneration[i] = i;
    std::stable_sort(byGeneration.begin(), byGeneration.end(), [&](std::size_t a, std::size_t b) {
        return programs[a].v[Generation].number < programs[b].v[Generation].number;
    });
    std::vector<std::size_t> order;
    std::vector<char> placed(programs.size(), 0);
    for (const std::size_t start : byGeneration) {
        std::vector<std::size_t> chain; // unplaced ancestors of `start`, nearest first
        std::set<std::size_t> onChain;
        for (std::size_t at = start; !placed[at];) {
            if (!onChain.insert(at).second) {
                // chain.back()'s parent link closes the loop: cut it there.
                warnings.push_back("program " + programs[chain.back()].id + ": its parent chain loops back "
                                   "to it; attached to the root");
                cycleBroken.insert(chain.back());
                break;
            }
            chain.push_back(at);
            const auto parent = indexOf.find(programs[at].parent);
            if (programs[at].parent.empty() || parent == indexOf.end() || cycleBroken.count(at))
                break;
            at = parent->second;
        }
        for (auto it = chain.rbegin(); it != chain.rend(); ++it)
            if (!placed[*it]) {
                placed[*it] = 1;
                order.push_back(*it);
            }
    }
    return order;
}

ImportedNode nodeOf(const Program& program, const fs::path& file, const std::set<std::string>& archive,
                    std::vector<std::string>& warnings)
{
    const auto& v = program.v;
    ImportedNode node;
    node.sourceId = program.id;
    node.files[mainFile(v[Language].text, warnings)] = v[Code].text;
    if (v[CombinedScore].isNumber() && std::isfinite(v[CombinedScore].number))
        node.score = v[CombinedScore].number;
    else if (!v[CombinedScore].isNull())
        warnings.push_back("program " + program.id + ": combined_score is not a number; no score");
    const bool incorrect = (v[Correct].isNumber() && v[Correct].number == 0) ||
                           (v[Correct].type == "text" && (v[Correct].text == "0" || v[Correct].text == "false"));
    if (incorrect) {
        node.status = NodeStatus::Failed;
        node.error = "incorrect (Shinka's correct = 0)";
    } else if (!node.score) {
        warnings.push_back("program " + program.id + ": no combined_score (NULL or NaN)");
    }
    addMetrics(jsonColumn(v[PublicMetrics], "public_metrics", program.id, file, warnings), "public_", node);
    addMetrics(jsonColumn(v[PrivateMetrics], "private_metrics", program.id, file, warnings), "private_", node);
    if (v[IslandIdx].isNumber())
        node.metrics["island_idx"] = v[IslandIdx].number;
    if (v[Generation].isNumber())
        node.metrics["generation"] = v[Generation].number;
    if (v[Timestamp].isNumber())
        node.createdAt = v[Timestamp].number;
    nlohmann::json metadata = jsonColumn(v[Metadata], "metadata", program.id, file, warnings);
    std::string patchName;
    if (metadata.is_object()) {
        for (const char* key : {"api_costs", "embed_cost", "novelty_cost", "meta_cost"})
            if (const auto it = metadata.find(key); it != metadata.end() && it->is_number())
                node.proposer.cost += it->get<double>();
        for (const char* key : {"model_name", "model"})
            if (const auto it = metadata.find(key); it != metadata.end() && it->is_string() && node.proposer.model.empty())
                node.proposer.model = it->get<std::string>();
        if (!node.proposer.model.empty())
            node.proposer.kind = "llm";
        if (const auto it = metadata.find("compute_time"); it != metadata.end() && it->is_number())
            node.metrics["compute_time"] = it->get<double>();
        if (const auto it = metadata.find("patch_name"); it != metadata.end() && it->is_string())
            patchName = it->get<std::string>();
        for (const auto& [key, name] : {std::pair{"stdout_log", "stdout.log"}, std::pair{"stderr_log", "stderr.log"}}) {
            if (const auto it = metadata.find(key); it != metadata.end() && it->is_string()) {
                if (!it->get<std::string>().empty())
                    node.artifacts[name] = it->get<std::string>();
                metadata.erase(key); // kept as its own artifact
            }
        }
        node.artifacts["metadata.json"] = metadata.dump(2) + "\n";
    }
    if (v[CodeDiff].type == "text" && !v[CodeDiff].text.empty())
        node.artifacts["code_diff.diff"] = v[CodeDiff].text;
    if (v[TextFeedback].type == "text" && !v[TextFeedback].text.empty())
        node.artifacts["text_feedback.txt"] = v[TextFeedback].text;
    const std::string generation =
        v[Generation].isNumber() ? std::to_string(static_cast<long long>(v[Generation].number)) : "?";
    node.description = "generation " + generation + ": " + (patchName.empty() ? program.id : patchName);
    if (archive.count(program.id))
        node.flags |= FlagKept;
    return node;
}

} // namespace

std::optional<fs::path> findShinkaDatabase(const fs::path& path)
{
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        for (const char* name : {"evolution_db.sqlite", "programs.sqlite"})
            if (fs::is_regular_file(path / name, ec))
                return path / name;
        return std::nullopt;
    }
    const std::string ext = path.extension().string();
    if (!fs::is_regular_file(path, ec) || (ext != ".sqlite" && ext != ".sqlite3" && ext != ".db") ||
        !hasSqliteHeader(path))
        return std::nullopt;
    try {
        const Connection db = openReadOnly(path);
        if (columnsOf(db.get(), path, "programs").count("parent_id"))
            return path;
    } catch (const InputError&) {
    }
    return std::nullopt;
}

ImportedRun readShinkaRun(const fs::path& file)
{
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        throw InputError(file.string() + ": no such file (expected a ShinkaEvolve evolution_db.sqlite)");
    ImportedRun run;
    run.format = "shinka";
    run.source = file;
    run.name = file.parent_path().filename().string() + "-shinka";
    run.primaryMetric = "combined_score";
    std::vector<Program> programs;
    std::set<std::string> archive;
    {
        const Connection db = openReadOnly(file); // the source is never written
        programs = readPrograms(db.get(), file, archive);
    }
    auto& warnings = run.warnings;
    std::map<std::string, std::size_t> indexOf;
    std::vector<Program> unique;
    for (std::size_t row = 0; row < programs.size(); ++row) {
        Program& program = programs[row];
        const Value& id = program.v[Id];
        if (id.isNull() || id.text.empty() || id.type == "blob") {
            warnings.push_back(file.string() + ": programs row " + std::to_string(row + 1) + " has no id; skipped");
            continue;
        }
        // Ids are repaired here, before they are matched with parent_id and the archive.
        int invalidBytes = 0;
        program.id = toValidUtf8(id.text, &invalidBytes);
        if (invalidBytes > 0)
            warnings.push_back(file.string() + ": programs row " + std::to_string(row + 1) + ": its id held " +
                               std::to_string(invalidBytes) + " byte(s) that are not UTF-8, replaced with U+FFFD");
        if (indexOf.count(program.id)) {
            warnings.push_back("program " + program.id + ": duplicate id; the later row is skipped");
            continue;
        }
        if (!program.v[ParentId].isNull())
            program.parent = toValidUtf8(program.v[ParentId].text); // its own row reports it
        if (!program.v[Generation].isNumber()) {
            warnings.push_back("program " + program.id + ": generation is not a number (read as 0)");
            program.v[Generation].number = 0;
        }
        if (program.v[Code].type != "text")
            warnings.push_back("program " + program.id + ": code is " + program.v[Code].type + " (read as text)");
        indexOf[program.id] = unique.size();
        unique.push_back(std::move(program));
    }
    if (unique.empty())
        throw InputError(file.string() + ": the programs table holds no program");
    std::set<std::size_t> cycleBroken;
    const auto order = parentsFirst(unique, indexOf, warnings, cycleBroken);

    // Shinka's generation 0 is one program without a parent: it is the root. Several
    // parentless programs, or parents the table lacks, hang from a synthetic root.
    std::set<std::string> missingParents;
    int parentless = 0;
    for (const auto& program : unique) {
        if (program.parent.empty())
            ++parentless;
        else if (!indexOf.count(program.parent))
            missingParents.insert(program.parent);
    }
    const bool synthetic = parentless != 1 || !missingParents.empty() || !unique[order.front()].parent.empty();
    std::map<std::string, int> nodeOfId;
    if (synthetic) {
        ImportedNode root;
        root.sourceId = "root";
        root.description = "ShinkaEvolve run (a synthetic root: several programs have no parent here)";
        root.proposer.kind = "root";
        run.nodes.push_back(std::move(root));
    }
    for (const auto& parent : missingParents) {
        ImportedNode placeholder;
        placeholder.sourceId = parent;
        placeholder.placeholder = true;
        placeholder.parent = 0;
        placeholder.status = NodeStatus::Failed;
        placeholder.description = "missing from the database: program " + parent;
        placeholder.error = "a program names it as its parent but the programs table does not hold it";
        nodeOfId[parent] = static_cast<int>(run.nodes.size());
        run.nodes.push_back(std::move(placeholder));
        warnings.push_back("program " + parent + ": named as a parent but not in the programs table "
                                                 "(shown as a placeholder)");
    }
    for (const std::size_t i : order) {
        const Program& program = unique[i];
        ImportedNode node = nodeOf(program, file, archive, warnings);
        const int index = static_cast<int>(run.nodes.size());
        if (index == 0) {
            node.parent = -1;
            node.proposer.kind = "root";
        } else if (program.parent.empty() || cycleBroken.count(i)) {
            node.parent = 0;
        } else {
            node.parent = nodeOfId.at(program.parent);
        }
        std::set<int> extra;
        const auto inspirations = [&](Column column, const char* what) {
            for (const auto& id : idList(jsonColumn(program.v[column], what, program.id, file, warnings))) {
                const auto it = nodeOfId.find(id);
                if (it == nodeOfId.end())
                    warnings.push_back("program " + program.id + ": inspiration " + id +
                                       (indexOf.count(id) ? " comes after it" : " is not in the programs table") +
                                       "; edge dropped");
                else if (it->second != node.parent)
                    extra.insert(it->second);
            }
        };
        inspirations(ArchiveInspirations, "archive_inspiration_ids");
        inspirations(TopKInspirations, "top_k_inspiration_ids");
        node.extraParents.assign(extra.begin(), extra.end());
        nodeOfId[program.id] = index;
        run.nodes.push_back(std::move(node));
    }
    return run; // names and warnings are made valid UTF-8 with the other formats' (ImportedText)
}

} // namespace clade::engine
