#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "engine/git/Oid.h"
#include "engine/git/Repository.h"
#include "engine/manifest/Manifest.h"
#include "engine/review/ChangeSet.h"
#include "engine/review/ChangeSizeDetector.h"
#include "engine/review/Finding.h"
#include "engine/review/ImproverDetector.h"
#include "engine/review/ProposalReview.h"
#include "engine/review/ProtectedPathDetector.h"
#include "engine/review/RiskLabels.h"
#include "engine/review/RiskyCallDetector.h"
#include "engine/review/ScoreJumpDetector.h"
#include "engine/util/InputError.h"

// Note: moc cannot read raw string literals in this file; sources are escaped strings.

namespace fs = std::filesystem;
using namespace clade::engine;
using json = nlohmann::json;

namespace {

/// An agent at /a with the harness inside, a propose command and some review rules; no
/// files are read, so it is built by hand rather than parsed.
Manifest testManifest()
{
    Manifest m;
    m.file = "/a/clade.json";
    m.agentDir = "/a";
    m.name = "test";
    m.evolvable = {"heuristic.py", "lib/"};
    m.protectedPaths = {"clade.json", "harness/", "lib/secret.py", "*.lock"};
    m.harnessDir = "/a/harness";
    m.propose = CommandSpec{{"/usr/bin/python3", "/agent/propose.py", "--config=/agent/config/opt.json",
                             "-m", "tools.run", "--seed", "3"},
                            {}};
    m.review.improver = {"lib/propose_helper.py"};
    return m;
}

FileChange textChange(const std::string& path, const std::string& oldText, const std::string& newText)
{
    FileChange file;
    file.path = path;
    file.kind = oldText.empty() ? FileChange::Kind::Added : FileChange::Kind::Modified;
    file.oldText = oldText;
    file.newText = newText;
    return file;
}

QString describe(const std::vector<Finding>& findings)
{
    QStringList parts;
    for (const Finding& f : findings)
        parts << QString::fromStdString(f.detector + " " + f.path + ":" + std::to_string(f.line) +
                                        " " + f.message);
    return parts.join(" | ");
}

/// "2,5": the lines the findings are on, in order.
QString linesOf(const std::vector<Finding>& findings)
{
    QStringList lines;
    for (const Finding& f : findings)
        lines << QString::number(f.line);
    return lines.join(',');
}

void writeFile(const fs::path& path, const std::string& content, fs::perms mode = fs::perms(0644))
{
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
    fs::permissions(path, mode);
}

/// "1:-:0.5 2:1:0.9 3:1:!u 4:1:0.7!h": id:parent:score, '-' for the root; "!u" no
/// score, "!f" failed, "!h" held, "!r" reverted.
std::vector<Node> parseNodes(const QString& spec)
{
    std::vector<Node> nodes;
    for (const QString& item : spec.split(' ', Qt::SkipEmptyParts)) {
        const QStringList parts = item.split(':');
        Node n;
        n.id = parts[0].toInt();
        if (parts[1] != "-")
            n.parents = {parts[1].toInt()};
        n.status = NodeStatus::Evaluated;
        QString score = parts[2];
        const qsizetype bang = score.indexOf('!');
        const QString mark = bang >= 0 ? score.mid(bang + 1) : QString();
        score = bang >= 0 ? score.left(bang) : score;
        if (!score.isEmpty())
            n.score = score.toDouble();
        if (mark == "f")
            n.status = NodeStatus::Failed;
        else if (mark == "h")
            n.flags |= FlagHeld;
        else if (mark == "r")
            n.flags |= FlagReverted;
        nodes.push_back(n);
    }
    return nodes;
}

} // namespace

class TestRiskDetectors : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pythonCalls_data();
    void pythonCalls();
    void otherLanguages_data();
    void otherLanguages();
    void sameRiskSameWords_data();
    void sameRiskSameWords();
    void customPatterns_data();
    void customPatterns();
    void protectedPaths_data();
    void protectedPaths();
    void improver_data();
    void improver();
    void changeSize_data();
    void changeSize();
    void scoreJump_data();
    void scoreJump();
    void scoreJumpMessage();
    void changeSetBetweenCommits();
    void reviewProposalOrder();
    void findingsRoundTrip();
    void findingsFromBadJson_data();
    void findingsFromBadJson();
    void excerptIsTrimmedAndCut();
};

// Each row is a Python file's old and new text; "lines" lists the lines flagged
// ("" = nothing), "mention" a text the first finding's message must hold.
void TestRiskDetectors::pythonCalls_data()
{
    QTest::addColumn<QString>("oldText");
    QTest::addColumn<QString>("newText");
    QTest::addColumn<QString>("lines");
    QTest::addColumn<QString>("mention");
    const auto risky = [](const char* name, const char* oldText, const char* newText,
                          const char* lines, const char* mention) {
        QTest::newRow(name) << oldText << newText << lines << mention;
    };
    const auto harmless = [](const char* name, const char* oldText, const char* newText) {
        QTest::newRow(name) << oldText << newText << "" << "";
    };

    // Plain uses.
    risky("import subprocess", "", "import subprocess\n", "1", "subprocess (starts a process)");
    risky("os.system", "import os\n", "import os\nos.system('ls')\n", "2", "os.system");
    risky("os.popen", "import os\n", "import os\nout = os.popen('ls').read()\n", "2", "os.popen");
    risky("os.execvp", "import os\n", "import os\nos.execvp('ls', ['ls'])\n", "2", "os.execvp");
    risky("os.spawnl", "import os\n", "import os\nos.spawnl(os.P_WAIT, '/bin/ls')\n", "2", "os.spawnl");
    risky("os.fork", "import os\n", "import os\npid = os.fork()\n", "2", "os.fork");
    risky("os.remove", "import os\n", "import os\nos.remove(path)\n", "2", "removes files");
    risky("os.unlink", "import os\n", "import os\nos.unlink(path)\n", "2", "os.unlink");
    risky("os.rmdir", "import os\n", "import os\nos.rmdir(path)\n", "2", "os.rmdir");
    risky("os.removedirs", "import os\n", "import os\nos.removedirs(path)\n", "2", "os.removedirs");
    risky("shutil.rmtree", "import shutil\n", "import shutil\nshutil.rmtree('/agent')\n", "2", "shutil.rmtree");
    risky("shutil.move", "import shutil\n", "import shutil\nshutil.move(a, b)\n", "2", "shutil.move");
    risky("pathlib unlink", "from pathlib import Path\n", "from pathlib import Path\nPath(p).unlink()\n", "2", ".unlink()");
    risky("pathlib rmdir", "", "p.rmdir()\n", "1", ".rmdir()");
    risky("socket", "import socket\n", "import socket\ns = socket.socket()\n", "2", "opens a network connection");
    risky("urllib.request", "", "from urllib.request import urlopen\n", "1", "urllib.request.urlopen");
    risky("urllib dotted use", "import urllib.request\n", "import urllib.request\nurllib.request.urlopen(u)\n", "2", "urllib.request.urlopen");
    risky("http.client", "", "import http.client\n", "1", "http.client");
    risky("requests", "import requests\n", "import requests\nr = requests.get(url)\n", "2", "requests.get");
    risky("httpx", "", "import httpx\n", "1", "httpx");
    risky("ctypes", "import ctypes\n", "import ctypes\nlibc = ctypes.CDLL('libc.so.6')\n", "2", "loads native code");
    risky("cffi", "", "from cffi import FFI\n", "1", "cffi.FFI");
    risky("importlib", "", "import importlib\n", "1", "importlib");
    risky("eval", "", "x = eval(expr)\n", "1", "eval (runs code built at run time)");
    risky("exec", "", "exec(code)\n", "1", "exec");
    risky("compile", "", "c = compile(src, 'f', 'exec')\n", "1", "compile");
    risky("multiprocessing", "", "from multiprocessing import Pool\n", "1", "multiprocessing.Pool");
    // Aliases and the dynamic ways of reaching a name.
    risky("import as, use added", "import subprocess as sp\n",
          "import subprocess as sp\nsp.run(['ls'])\n", "2", "subprocess.run");
    risky("import as and use on one line", "", "import subprocess as sp; sp.run(['ls'])\n", "1", "subprocess");
    risky("from os import system as s", "", "from os import system as s\ns('ls')\n", "1,2", "os.system");
    risky("alias used far below", "from os import system as s\nx = 1\n",
          "from os import system as s\nx = 1\n\n\ndef f():\n    return s('ls')\n", "6", "os.system");
    risky("assignment alias", "import os\n", "import os\nrun = os.system\nrun('ls')\n", "2,3", "os.system");
    risky("alias of an alias", "import os\n", "import os\nb = a\na = os.popen\nb('ls')\n", "2,3,4", "os.popen");
    risky("__import__('subprocess')", "", "x = __import__('subprocess')\n", "1", "subprocess (via __import__)");
    risky("__import__ concatenated", "", "__import__('sub' + 'process').call(['ls'])\n", "1", "subprocess.call");
    risky("__import__ of os", "", "__import__('os').system('id')\n", "1", "os.system");
    risky("getattr(os, 'sys'+'tem')", "import os\n", "import os\ngetattr(os, 'sys'+'tem')('ls')\n", "2", "os.system");
    risky("getattr adjacent literals", "import os\n", "import os\ngetattr(os, 'sys' 'tem')('ls')\n", "2", "os.system");
    risky("getattr hex escape", "import os\n", "import os\ngetattr(os, '\\x73ystem')('ls')\n", "2", "os.system");
    risky("getattr reversed", "import os\n", "import os\ngetattr(os, 'metsys'[::-1])('ls')\n", "2", "os.system");
    risky("getattr join", "import os\n", "import os\ngetattr(os, ''.join(['sy', 'stem']))('ls')\n", "2", "os.system");
    risky("getattr chr", "import os\n", "import os\ngetattr(os, chr(115) + 'ystem')('ls')\n", "2", "os.system");
    risky("getattr via a string variable", "import os\n",
          "import os\nname = 'sys' + 'tem'\ngetattr(os, name)('ls')\n", "3", "os.system");
    risky("getattr with a computed name", "import os\n", "import os\ngetattr(os, input())('ls')\n", "2",
          "getattr(os, <computed name>)");
    risky("getattr of __import__", "", "getattr(__import__('o'+'s'), 'sys'+'tem')('ls')\n", "1", "os.system");
    risky("getattr across lines", "import os\n",
          "import os\ngetattr(\n    os,\n    'sys' + 'tem',\n)('ls')\n", "2", "os.system");
    risky("importlib.import_module concatenated", "import importlib\n",
          "import importlib\nimportlib.import_module('o'+'s').system('ls')\n", "2", "os.system");
    risky("import_module alias", "from importlib import import_module as im\n",
          "from importlib import import_module as im\nim('subprocess').Popen(['x'])\n", "2", "subprocess.Popen");
    risky("sys.modules", "import sys\n", "import sys\nsys.modules['os'].system('x')\n", "2", "os.system");
    risky("vars(os)", "import os\n", "import os\nvars(os)['system']('x')\n", "2", "os.system");
    risky("os.__dict__", "import os\n", "import os\nos.__dict__['sys' + 'tem']('x')\n", "2", "os.system");
    risky("__getattribute__", "import os\n", "import os\nos.__getattribute__('system')('x')\n", "2", "os.system");
    risky("getattr(builtins, 'ev'+'al')", "import builtins\n",
          "import builtins\ngetattr(builtins, 'ev' + 'al')('1')\n", "2", "eval");
    risky("__builtins__ dict", "", "__builtins__.__dict__['exec']('x')\n", "1", "exec");
    risky("globals()[...]", "", "globals()['ev' 'al']('1')\n", "1", "eval");
    risky("from builtins import eval as e", "from builtins import eval as e\n",
          "from builtins import eval as e\ne('1')\n", "2", "eval");
    risky("star import", "from os import *\n", "from os import *\nsystem('ls')\n", "2", "os.system");
    risky("posix is os", "import posix\n", "import posix\nposix.system('x')\n", "2", "os.system");
    risky("existing import, added use", "import subprocess as sp\nprint(1)\n",
          "import subprocess as sp\nprint(1)\nsp.check_output('ls')\n", "3", "subprocess.check_output");
    risky("inside a one-line if", "", "if x: import socket\n", "1", "socket");
    risky("a method named eval does not hide the builtin", "",
          "class A:\n    def eval(self):\n        return 1\n\n\nx = eval(src)\n", "6", "eval");
    risky("a local assignment does not hide the module", "import socket\n",
          "import socket\n\n\ndef f():\n    socket = None\n    socket.create_connection(a)\n", "6", "socket");
    risky("through a function argument", "import os\n", "import os\nrun(os.system)\n", "2", "os.system");
    risky("unterminated string does not hide code", "", "import os\nx = 'abc\nos.system('ls')\n", "3", "os.system");

    // Harmless code that shares words with the risky names.
    harmless("system_prompt variable", "", "system_prompt = 'You are helpful'\nprint(system_prompt)\n");
    harmless("socket in a comment", "", "# open a socket here, then os.system it\nx = 1\n");
    harmless("socket in a docstring", "",
              "def f():\n    \"\"\"Opens a socket and calls os.system('rm -rf').\"\"\"\n    return 1\n");
    harmless("names in a string", "", "msg = 'use subprocess.run or eval(x)'\n");
    harmless("f-string", "", "print(f'{subprocess_count} calls to eval')\n");
    harmless("os.path.join", "", "import os\np = os.path.join('a', 'b')\nprint(os.getcwd())\n");
    harmless("my_eval_score", "", "my_eval_score = evaluate(x)\nmy_eval_score += 1\n");
    harmless("method named eval", "", "model.eval()\nself.exec()\n");
    harmless("re.compile", "", "import re\nP = re.compile('a+')\n");
    harmless("torch.compile", "", "model = torch.compile(model)\n");
    harmless("getattr on self", "", "v = getattr(self, name)\nw = getattr(obj, 'system')\n");
    harmless("keyword argument", "", "run(eval=True, exec=False)\n");
    harmless("own function named eval", "", "def eval(x):\n    return x\n\n\nprint(eval(3))\n");
    harmless("list.remove", "", "items.remove(3)\nqueue.popleft()\n");
    harmless("shutil.copy", "", "import shutil\nshutil.copy(a, b)\n");
    harmless("urllib.parse", "", "from urllib.parse import quote\nq = quote('a b')\n");
    harmless("math", "", "import math\nmath.sqrt(2)\n");
    harmless("local variable named socket", "", "socket = None\nsocket = make()\nprint(socket)\n");
    harmless("a variable named system", "", "system = 'linux'\nprint(system)\n");
    harmless("relative import", "", "from . import subprocess_utils\nfrom .tools import system\n");
    harmless("unchanged risky line", "import os\nos.system('ls')\n", "import os\nos.system('ls')\nx = 1\n");
    harmless("removed risky line", "import os\nos.system('ls')\n", "import os\n");
}

void TestRiskDetectors::pythonCalls()
{
    QFETCH(QString, oldText);
    QFETCH(QString, newText);
    QFETCH(QString, lines);
    QFETCH(QString, mention);
    ChangeSet change{{textChange("agent/heuristic.py", oldText.toStdString(), newText.toStdString())}};
    const std::vector<Finding> findings = detectRiskyCalls(change, testManifest());
    QVERIFY2(linesOf(findings) == lines, qPrintable(describe(findings)));
    for (const Finding& f : findings) {
        QCOMPARE(f.detector, "risky-call");
        QCOMPARE(f.path, "agent/heuristic.py");
        QVERIFY(!f.excerpt.empty());
    }
    if (!mention.isEmpty())
        QVERIFY2(QString::fromStdString(findings.front().message).contains(mention),
                 qPrintable(describe(findings)));
}

void TestRiskDetectors::otherLanguages_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("newText");
    QTest::addColumn<QString>("lines");
    const auto row = [](const char* name, const char* path, const char* text, const char* lines) {
        QTest::newRow(name) << path << text << lines;
    };
    row("C system", "src/run.c", "int main() {\n  system(\"ls\");\n}\n", "2");
    row("C++ std::system", "run.cpp", "std::system(cmd.c_str());\n", "1");
    row("C popen", "run.c", "FILE* f = popen(\"ls\", \"r\");\n", "1");
    row("C exec", "run.c", "execvp(argv[0], argv);\n", "1");
    row("C fork", "run.c", "pid_t p = fork();\n", "1");
    row("C unlink", "run.c", "unlink(path);\n", "1");
    row("C remove", "run.c", "remove(path);\n", "1");
    row("C socket", "net.c", "int fd = socket(AF_INET, SOCK_STREAM, 0);\n", "1");
    row("C socket header", "net.c", "#include <sys/socket.h>\n", "1");
    row("C dlopen", "load.cc", "void* h = dlopen(\"x.so\", RTLD_NOW);\n", "1");
    row("C++ remove_all", "clean.cpp", "std::filesystem::remove_all(dir);\n", "1");
    row("C harmless: comment", "run.c", "// call system() and fork() here\nint x = 1;\n", "");
    row("C harmless: block comment", "run.c", "/* later:\n   socket(AF_INET, 0, 0);\n */\n", "");
    row("C harmless: string", "run.c", "printf(\"system(x) and unlink(y)\\n\");\n", "");
    row("C harmless: std::remove", "run.cpp", "v.erase(std::remove(v.begin(), v.end(), 0), v.end());\n", "");
    row("C harmless: member", "run.cpp", "list.remove(x);\nobj->system(1);\n", "");
    row("C harmless: similar name", "run.c", "int system_count = my_fork(3);\n", "");
    row("shell rm -rf", "clean.sh", "rm -rf /tmp/x\n", "1");
    row("shell rm -fr", "clean.sh", "cd /x && rm -fr build\n", "1");
    row("shell curl", "get.sh", "curl http://example.com | sh\n", "1");
    row("shell wget", "get.sh", "wget -q http://example.com\n", "1");
    row("shell nc", "net.sh", "nc -l 4444\n", "1");
    row("shell /dev/tcp", "net.sh", "echo hi > /dev/tcp/10.0.0.1/80\n", "1");
    row("shell by shebang", "tools/run", "#!/bin/bash\ncurl http://x\n", "2");
    row("shell harmless: comment", "a.sh", "# rm -rf everything, curl it\necho done\n", "");
    row("shell harmless: plain", "a.sh", "ls -la\nrm notes.txt\necho curling\n", "");
    row("js child_process", "a.js", "const cp = require('child_process');\n", "1");
    row("js eval", "a.js", "const v = eval(code);\n", "1");
    row("js unlink", "a.js", "require('fs').unlinkSync(p);\n", "1");
    row("js fetch", "a.ts", "await fetch('http://x');\n", "1");
    row("js new Function", "a.mjs", "const f = new Function('return 1');\n", "1");
    row("js http import", "a.ts", "import http from 'http';\n", "1");
    row("js harmless", "a.js", "// eval(x)\nconst evaluation = score(x);\nre.exec(s);\nx.evalScore();\n", "");
    row("python by shebang", "tools/go", "#!/usr/bin/env python3\nimport os\nos.system('x')\n", "3");
    row("unknown language", "notes.txt", "rm -rf / and os.system('x')\n", "");
}

void TestRiskDetectors::otherLanguages()
{
    QFETCH(QString, path);
    QFETCH(QString, newText);
    QFETCH(QString, lines);
    ChangeSet change{{textChange(path.toStdString(), "", newText.toStdString())}};
    const std::vector<Finding> findings = detectRiskyCalls(change, testManifest());
    QVERIFY2(linesOf(findings) == lines, qPrintable(describe(findings)));
}

// Python's scanner and the pattern lists of the other languages name a risk with the same
// words (RiskLabels.h), so a reviewer reads one vocabulary whatever the file.
void TestRiskDetectors::sameRiskSameWords_data()
{
    QTest::addColumn<QString>("label");
    QTest::addColumn<QString>("pythonText");
    QTest::addColumn<QString>("otherPath");
    QTest::addColumn<QString>("otherText");
    const auto row = [](const char* name, const char* label, const char* python, const char* path,
                        const char* other) { QTest::newRow(name) << label << python << path << other; };
    row("process", RiskLabel::StartsProcess, "import os\nos.system(cmd)\n", "run.c", "system(cmd);\n");
    row("remove", RiskLabel::RemovesFiles, "import shutil\nshutil.rmtree(d)\n", "clean.sh", "rm -rf d\n");
    row("network", RiskLabel::OpensNetwork, "import socket\n", "get.sh", "curl http://x\n");
    row("native", RiskLabel::LoadsNative, "import ctypes\n", "load.c", "dlopen(p, 0);\n");
    row("dynamic code", RiskLabel::RunsDynamicCode, "v = eval(s)\n", "a.js", "const v = eval(s);\n");
}

void TestRiskDetectors::sameRiskSameWords()
{
    QFETCH(QString, label);
    QFETCH(QString, pythonText);
    QFETCH(QString, otherPath);
    QFETCH(QString, otherText);
    const std::string suffix = " (" + label.toStdString() + ")";
    for (const auto& [path, text] : {std::pair{QString("a.py"), pythonText}, {otherPath, otherText}}) {
        ChangeSet change{{textChange(path.toStdString(), "", text.toStdString())}};
        const std::vector<Finding> findings = detectRiskyCalls(change, testManifest());
        QVERIFY2(!findings.empty(), qPrintable(path + ": nothing found"));
        const std::string& message = findings.back().message;
        QVERIFY2(message.size() > suffix.size() &&
                     message.compare(message.size() - suffix.size(), suffix.size(), suffix) == 0,
                 qPrintable(path + ": " + describe(findings)));
    }
}

void TestRiskDetectors::customPatterns_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("newText");
    QTest::addColumn<QString>("lines");
    QTest::newRow("ruby file matches") << "lib/clean.rb" << "x = 1\nFileUtils.rm_rf(dir)\n" << "2";
    QTest::newRow("glob with a folder") << "scripts/deploy/run.rb" << "FileUtils.rm_rf(x)\n" << "1";
    QTest::newRow("other file type") << "lib/clean.txt" << "FileUtils.rm_rf(dir)\n" << "";
    QTest::newRow("pattern for every file") << "notes.md" << "call the SECRET_API\n" << "1";
    QTest::newRow("no match") << "lib/clean.rb" << "puts 1\n" << "";
}

void TestRiskDetectors::customPatterns()
{
    QFETCH(QString, path);
    QFETCH(QString, newText);
    QFETCH(QString, lines);
    Manifest m = testManifest();
    m.review.patterns = {{"\\bFileUtils\\.rm_rf\\b", "removes a folder tree", {"*.rb"}},
                         {"SECRET_API", "calls the secret API", {}}};
    ChangeSet change{{textChange(path.toStdString(), "", newText.toStdString())}};
    const std::vector<Finding> findings = detectRiskyCalls(change, m);
    QVERIFY2(linesOf(findings) == lines, qPrintable(describe(findings)));
    for (const Finding& f : findings)
        QVERIFY2(QString::fromStdString(f.message).contains("clade.json review.patterns["),
                 qPrintable(describe(findings)));
}

void TestRiskDetectors::protectedPaths_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("oldPath");
    QTest::addColumn<QString>("detector"); // "" = not flagged
    QTest::newRow("manifest") << "clade.json" << "" << "protected-path";
    QTest::newRow("harness file") << "harness/score.py" << "" << "harness";
    QTest::newRow("deep in harness") << "harness/data/t1.json" << "" << "harness";
    QTest::newRow("protected file in an evolvable folder") << "lib/secret.py" << "" << "protected-path";
    QTest::newRow("wildcard") << "notes.lock" << "" << "protected-path";
    QTest::newRow("evolvable file") << "heuristic.py" << "" << "";
    QTest::newRow("name starting like harness") << "harness_notes.md" << "" << "";
    QTest::newRow("rename out of the harness") << "score_copy.py" << "harness/score.py" << "harness";
    QTest::newRow("rename onto a protected path") << "clade.json" << "old.json" << "protected-path";
}

void TestRiskDetectors::protectedPaths()
{
    QFETCH(QString, path);
    QFETCH(QString, oldPath);
    QFETCH(QString, detector);
    FileChange file = textChange(path.toStdString(), "a\n", "b\n");
    file.oldPath = oldPath.toStdString();
    const std::vector<Finding> findings = detectProtectedPaths(ChangeSet{{file}}, testManifest());
    if (detector.isEmpty()) {
        QVERIFY2(findings.empty(), qPrintable(describe(findings)));
        return;
    }
    QCOMPARE(findings.size(), 1u);
    QCOMPARE(QString::fromStdString(findings[0].detector), detector);
}

void TestRiskDetectors::improver_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("flagged");
    QTest::newRow("propose script (/agent/...)") << "propose.py" << true;
    QTest::newRow("--opt=/agent/... value") << "config/opt.json" << true;
    QTest::newRow("-m module") << "tools/run.py" << true;
    QTest::newRow("-m package") << "tools/run/__main__.py" << true;
    QTest::newRow("review.improver entry") << "lib/propose_helper.py" << true;
    QTest::newRow("prompts folder") << "prompts/system.md" << true;
    QTest::newRow("nested prompts folder") << "agent/prompts/x.txt" << true;
    QTest::newRow("file named *prompt*") << "templates/System_Prompt.txt" << true;
    QTest::newRow("evolvable heuristic") << "heuristic.py" << false;
    QTest::newRow("other lib file") << "lib/util.py" << false;
    QTest::newRow("python interpreter is not in the agent") << "usr/bin/python3" << false;
    QTest::newRow("argument that is not a file") << "3" << true; // "--seed 3": a file "3" would be run
}

void TestRiskDetectors::improver()
{
    QFETCH(QString, path);
    QFETCH(bool, flagged);
    ChangeSet change{{textChange(path.toStdString(), "a\n", "b\n")}};
    const std::vector<Finding> findings = detectImproverChanges(change, testManifest());
    QVERIFY2(findings.empty() != flagged, qPrintable(describe(findings)));
    if (flagged) {
        QCOMPARE(findings[0].detector, "improver");
        QCOMPARE(findings[0].path, path.toStdString());
    }
}

void TestRiskDetectors::changeSize_data()
{
    QTest::addColumn<int>("insertions");
    QTest::addColumn<int>("deletions");
    QTest::addColumn<int>("limit");
    QTest::addColumn<bool>("binary");
    QTest::addColumn<bool>("deleted");
    QTest::addColumn<bool>("becameExecutable");
    QTest::addColumn<QStringList>("detectors");
    QTest::newRow("small") << 10 << 5 << 400 << false << false << false << QStringList{};
    QTest::newRow("exactly the limit") << 300 << 100 << 400 << false << false << false << QStringList{};
    QTest::newRow("over the limit") << 300 << 101 << 400 << false << false << false
                                    << QStringList{"diff-size"};
    QTest::newRow("configured limit") << 30 << 0 << 20 << false << false << false
                                      << QStringList{"diff-size"};
    QTest::newRow("binary added") << 0 << 0 << 400 << true << false << false
                                  << QStringList{"binary-file"};
    QTest::newRow("binary deleted") << 0 << 0 << 400 << true << true << false << QStringList{};
    QTest::newRow("became executable") << 1 << 0 << 400 << false << false << true
                                       << QStringList{"exec-bit"};
    QTest::newRow("all three") << 500 << 0 << 400 << true << false << true
                               << QStringList{"diff-size", "binary-file", "exec-bit"};
}

void TestRiskDetectors::changeSize()
{
    QFETCH(int, insertions);
    QFETCH(int, deletions);
    QFETCH(int, limit);
    QFETCH(bool, binary);
    QFETCH(bool, deleted);
    QFETCH(bool, becameExecutable);
    QFETCH(QStringList, detectors);
    FileChange file;
    file.path = "data.bin";
    file.kind = deleted ? FileChange::Kind::Deleted : FileChange::Kind::Added;
    file.binary = binary;
    file.becameExecutable = becameExecutable;
    file.insertions = insertions;
    file.deletions = deletions;
    Manifest m = testManifest();
    m.review.maxChangedLines = limit;
    QStringList got;
    for (const Finding& f : detectChangeSize(ChangeSet{{file}}, m))
        got << QString::fromStdString(f.detector);
    QCOMPARE(got, detectors);
}

void TestRiskDetectors::scoreJump_data()
{
    QTest::addColumn<QString>("direction");
    QTest::addColumn<double>("factor");
    QTest::addColumn<double>("min");
    QTest::addColumn<QString>("nodes");
    QTest::addColumn<int>("node");
    QTest::addColumn<bool>("flagged");
    const auto row = [](const char* name, const char* nodes, int node, bool flagged,
                        const char* direction = "maximize", double factor = 3, double min = 0.05) {
        QTest::newRow(name) << direction << factor << min << nodes << node << flagged;
    };
    row("root is never flagged", "1:-:0.5", 1, false);
    row("first child, large relative jump", "1:-:0.5 2:1:0.9", 2, true);
    row("first child, modest step", "1:-:0.5 2:1:0.6", 2, false);
    row("jump far above small sibling steps", "1:-:0.5 2:1:0.52 3:1:0.53 4:1:0.9", 4, true);
    row("in line with siblings", "1:-:0.5 2:1:0.7 3:1:0.75 4:1:0.9", 4, false);
    row("later siblings count too", "1:-:0.5 2:1:0.9 3:1:0.75", 2, false);
    row("below the minimum", "1:-:0.5 2:1:0.501 3:1:0.52", 3, false);
    row("the parent's own step counts", "1:-:0.2 2:1:0.5 3:2:0.9", 3, false);
    row("parent's small step, big jump", "1:-:0.48 2:1:0.5 3:2:0.9", 3, true);
    row("a worse score is no jump", "1:-:0.5 2:1:0.1", 2, false);
    row("held sibling is no reference", "1:-:0.5 2:1:0.9!h 3:1:0.92", 3, true);
    row("reverted sibling is no reference", "1:-:0.5 2:1:0.9!r 3:1:0.92", 3, true);
    row("failed and unscored siblings ignored", "1:-:0.5 2:1:0.8!f 3:1:!u 4:1:0.9", 4, true);
    row("siblings that got worse give no scale", "1:-:0.5 2:1:0.4 3:1:0.45 4:1:0.6", 4, false);
    row("failed node", "1:-:0.5 2:1:0.9!f", 2, false);
    row("node without a score", "1:-:0.5 2:1:!u", 2, false);
    row("parent without a score", "1:-:!u 2:1:0.9", 2, false);
    row("parent missing from the archive", "2:1:0.9", 2, false);
    row("zero parent score", "1:-:0 2:1:0.06", 2, true);
    row("minimize: big drop", "1:-:100 2:1:99 3:1:98 4:1:40", 4, true, "minimize");
    row("minimize: a rise is no jump", "1:-:100 2:1:150", 2, false, "minimize");
    row("minimize: in line", "1:-:100 2:1:80 3:1:60", 3, false, "minimize");
    row("minimize: a higher score is worse", "1:-:0.5 2:1:0.9", 2, false, "minimize");
    row("larger factor", "1:-:0.5 2:1:0.52 3:1:0.7", 3, false, "maximize", 10);
    row("larger minimum", "1:-:0.5 2:1:0.9", 2, false, "maximize", 3, 0.5);
}

void TestRiskDetectors::scoreJump()
{
    QFETCH(QString, direction);
    QFETCH(double, factor);
    QFETCH(double, min);
    QFETCH(QString, nodes);
    QFETCH(int, node);
    QFETCH(bool, flagged);
    Manifest m = testManifest();
    m.direction = direction == "minimize" ? Direction::Minimize : Direction::Maximize;
    m.review.scoreJumpFactor = factor;
    m.review.scoreJumpMin = min;
    const std::vector<Node> archive = parseNodes(nodes);
    const auto it = std::find_if(archive.begin(), archive.end(), [&](const Node& n) { return n.id == node; });
    QVERIFY(it != archive.end());
    const std::optional<Finding> finding = detectScoreJump(*it, archive, m);
    QVERIFY2(finding.has_value() == flagged, finding ? finding->message.c_str() : "not flagged");
    if (finding) {
        QCOMPARE(finding->detector, "score-jump");
        QCOMPARE(finding->path, "");
    }
}

void TestRiskDetectors::scoreJumpMessage()
{
    const std::vector<Node> archive = parseNodes("1:-:0.5 2:1:0.52 3:1:0.9");
    const std::optional<Finding> finding = detectScoreJump(archive[2], archive, testManifest());
    QVERIFY(finding);
    const QString message = QString::fromStdString(finding->message);
    QVERIFY2(message.contains("score 0.9 improves on parent node 1 (0.5) by 0.4"), qPrintable(message));
    QVERIFY2(message.contains("3x the largest improvement among its siblings"), qPrintable(message));
    QVERIFY2(message.contains("reward hacking"), qPrintable(message));
    const auto a = assessScoreJump(archive[2], archive, testManifest());
    QVERIFY(a);
    QCOMPARE(a->references, 1);
    QVERIFY(qFuzzyCompare(a->typical, 0.02));
}

void TestRiskDetectors::changeSetBetweenCommits()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const fs::path root(tmp.path().toStdString());
    const fs::path work = root / "work";
    clade::git::Repository repo = clade::git::Repository::initBare(root / "repo.git");

    writeFile(work / "keep.py", "same\n");
    writeFile(work / "mod.py", "a = 1\nb = 2\nc = 3\n");
    writeFile(work / "gone.py", "bye\n");
    writeFile(work / "run.sh", "echo hi\n");
    const clade::git::Oid parent = repo.commitDirectory(work, {}, "parent", {});

    writeFile(work / "mod.py", "a = 1\nimport os\nb = 2\nos.system('x')\nc = 3\n");
    fs::remove(work / "gone.py");
    writeFile(work / "blob.bin", std::string("\x00\x01\x02\x03", 4) + "binary");
    writeFile(work / "tool.sh", "#!/bin/sh\ncurl http://x\n", fs::perms(0755));
    fs::permissions(work / "run.sh", fs::perms(0755)); // mode change only
    const clade::git::Oid child = repo.commitDirectory(work, {parent}, "child", {});

    const ChangeSet change = changeSetBetween(repo, parent, child);
    QStringList paths;
    for (const FileChange& f : change.files)
        paths << QString::fromStdString(f.path);
    QCOMPARE(paths, (QStringList{"blob.bin", "gone.py", "mod.py", "run.sh", "tool.sh"}));
    const FileChange& blob = change.files[0];
    QCOMPARE(blob.kind, FileChange::Kind::Added);
    QVERIFY(blob.binary);
    QVERIFY(blob.newText.empty());
    const FileChange& gone = change.files[1];
    QCOMPARE(gone.kind, FileChange::Kind::Deleted);
    QCOMPARE(gone.oldText, "bye\n");
    QCOMPARE(gone.newText, "");
    QCOMPARE(gone.deletions, 1);
    const FileChange& mod = change.files[2];
    QCOMPARE(mod.kind, FileChange::Kind::Modified);
    QCOMPARE(mod.insertions, 2);
    QCOMPARE(mod.deletions, 0);
    QVERIFY(!mod.becameExecutable);
    const auto added = addedLines(mod);
    QCOMPARE(added.size(), 2u);
    QCOMPARE(added[0], (std::pair<int, std::string>{2, "import os"}));
    QCOMPARE(added[1], (std::pair<int, std::string>{4, "os.system('x')"}));
    const FileChange& run = change.files[3];
    QCOMPARE(run.kind, FileChange::Kind::Modified);
    QVERIFY(run.becameExecutable);
    QCOMPARE(run.insertions + run.deletions, 0);
    const FileChange& tool = change.files[4];
    QCOMPARE(tool.kind, FileChange::Kind::Added);
    QVERIFY(tool.becameExecutable);
    QCOMPARE(addedLines(tool).size(), 2u);
    QCOMPARE(change.insertions(), 2 + 2);
    QCOMPARE(change.deletions(), 1);

    // The whole pipeline on real commits.
    QStringList detectors;
    for (const Finding& f : reviewProposal(change, testManifest()))
        detectors << QString::fromStdString(f.detector + " " + f.path + ":" + std::to_string(f.line));
    QCOMPARE(detectors, (QStringList{"risky-call mod.py:4", "risky-call tool.sh:2",
                                     "binary-file blob.bin:0", "exec-bit run.sh:0",
                                     "exec-bit tool.sh:0"}));

    // A null parent is the empty tree: everything is added.
    const ChangeSet fromNothing = changeSetBetween(repo, clade::git::Oid(), parent);
    QCOMPARE(fromNothing.files.size(), 4u);
    for (const FileChange& f : fromNothing.files)
        QCOMPARE(f.kind, FileChange::Kind::Added);
}

void TestRiskDetectors::reviewProposalOrder()
{
    ChangeSet change;
    change.files.push_back(textChange("clade.json", "{}\n", "{\"x\": 1}\n"));
    change.files.push_back(textChange("harness/score.py", "a\n", "b\n"));
    change.files.push_back(textChange("propose.py", "import os\n", "import os\nos.remove(p)\n"));
    change.files.push_back(textChange("heuristic.py", "x = 1\n", "x = 2\n"));
    change.files[2].insertions = 500;
    QStringList detectors;
    for (const Finding& f : reviewProposal(change, testManifest()))
        detectors << QString::fromStdString(f.detector + " " + f.path);
    QCOMPARE(detectors, (QStringList{"protected-path clade.json", "harness harness/score.py",
                                     "improver propose.py", "risky-call propose.py",
                                     "diff-size "}));
}

void TestRiskDetectors::findingsRoundTrip()
{
    const std::vector<Finding> findings = {
        {"risky-call", "a.py", 3, "adds os.system (starts a process)", "os.system('x')"},
        {"score-jump", "", 0, "score 0.9 ...", ""},
        {"harness", "harness/s.py", 0, "changes the harness \"quoted\"", "ünïcode"},
    };
    const json j = findingsToJson(findings);
    QCOMPARE(j.size(), 3u);
    QCOMPARE(j[0]["line"], 3);
    QVERIFY(findingsFromJson(j, "review.json") == findings);
    QVERIFY(findingsFromJson(json::parse(j.dump()), "review.json") == findings);
    QVERIFY(findingsFromJson(json::array(), "review.json").empty());
    // Optional fields may be missing in a hand-written file.
    const auto minimal = findingsFromJson(json::parse("[{\"detector\": \"policy\", \"message\": \"m\"}]"), "x");
    QCOMPARE(minimal.size(), 1u);
    QCOMPARE(minimal[0].line, 0);
}

void TestRiskDetectors::findingsFromBadJson_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not an array") << "{}" << "review.json: field 'findings': expected an array";
    QTest::newRow("item not an object") << "[1]" << "field 'findings[0]': expected an object";
    QTest::newRow("missing detector") << "[{\"message\": \"m\"}]"
                                      << "field 'findings[0].detector': expected a string (the field is missing)";
    QTest::newRow("empty message") << "[{\"detector\": \"d\", \"message\": \"\"}]"
                                   << "field 'findings[0].message': expected a non-empty string";
    QTest::newRow("line not a number") << "[{\"detector\": \"d\", \"message\": \"m\", \"line\": \"3\"}]"
                                       << "field 'findings[0].line': expected an integer >= 0";
    QTest::newRow("negative line") << "[{\"detector\": \"d\", \"message\": \"m\", \"line\": -1}]"
                                   << "field 'findings[0].line': expected an integer >= 0";
    QTest::newRow("path not a string")
        << "[{\"detector\": \"d\", \"message\": \"m\"}, {\"detector\": \"d\", \"message\": \"m\", \"path\": 1}]"
        << "field 'findings[1].path': expected a string";
}

void TestRiskDetectors::findingsFromBadJson()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    try {
        findingsFromJson(json::parse(text.toStdString()), "review.json");
        QFAIL("no InputError thrown");
    } catch (const InputError& error) {
        QVERIFY2(QString::fromUtf8(error.what()).contains(expected), error.what());
    }
}

void TestRiskDetectors::excerptIsTrimmedAndCut()
{
    QCOMPARE(findingExcerpt("   os.system('x')  \r"), "os.system('x')");
    const std::string longLine = std::string(199, 'a') + "\xc3\xa9" + "tail";
    const std::string excerpt = findingExcerpt(longLine);
    QCOMPARE(excerpt, std::string(199, 'a')); // the 2-byte character would cross 200
}

QTEST_GUILESS_MAIN(TestRiskDetectors)
#include "tst_riskdetectors.moc"
