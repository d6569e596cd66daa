// Fuzzes the front end and the symbolic core with arbitrary bytes: load (parse, check
// and the files it uses), render every diagnostic, dump the tree; for a file without
// errors, lower it, take every gradient (stabilized, and tidied for a reader), print it
// and evaluate it once. Beyond "no crash, no hang, no sanitizer report, no internal
// error", it checks two properties of a file that parses without errors: each
// definition prints (to_source) as text that parses again to the same tree, and the
// formatter's text (format_source) parses again to the same tree with the same
// comments and formats as itself.
//
// `use` files come from the input itself: it is split at lines `%%` into parts, part 0
// the file under test (fuzz.act), part i the file `p<i>.act` (so `use "p1.act"` reads
// part 1, `use "fuzz.act"` makes a cycle, a missing part is a file that cannot be
// read); `use std` is the real standard library, read once.
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/check.hpp"
#include "compiler/files.hpp"
#include "compiler/gradient.hpp"
#include "compiler/interpret.hpp"
#include "compiler/lower.hpp"
#include "compiler/print.hpp"
#include "grammar/format.hpp"
#include "grammar/parse.hpp"
#include "grammar/printer.hpp"

namespace {

const std::string standard_library_path = ACTJIT_SOURCE_DIR "/examples/activations.act";

const std::string& standard_library() {
    static const std::string text = [] {
        std::ifstream in(standard_library_path, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }();
    return text;
}

std::vector<std::string> split_parts(std::string_view input) {
    std::vector<std::string> parts{std::string()};
    size_t start = 0;
    while (start <= input.size()) {
        size_t end = input.find('\n', start);
        std::string_view line = input.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (line == "%%") parts.emplace_back();
        else parts.back() += std::string(line) + (end == std::string_view::npos ? "" : "\n");
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return parts;
}

std::vector<std::string> comment_texts(const actjit::SourceFile& file) {
    std::vector<std::string> out;
    for (const actjit::Comment& c : actjit::comments(file)) {
        std::string t(file.text().substr(c.range.begin, c.range.end - c.range.begin));
        // (the formatter drops a comment's trailing blanks: spaces, tabs, form feeds and
        // vertical tabs, grammar/format.cpp)
        while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\f' || t.back() == '\v')) t.pop_back();
        out.push_back(t);
    }
    return out;
}

// The printer and the formatter against the parser.
void check_printers(const actjit::ParsedFile& parsed, const actjit::SourceFile& file) {
    std::string printed;
    for (const actjit::ast::Definition& d : parsed.ast.definitions) printed += actjit::to_source(d) + "\n";
    actjit::SourceFile again("printed.act", printed);
    actjit::Diagnostics again_diagnostics;
    actjit::ParsedFile reparsed = actjit::parse(again, again_diagnostics);
    actjit::ParsedFile definitions_only;
    definitions_only.ast.definitions = parsed.ast.definitions;
    if (again_diagnostics.has_errors() || actjit::dump(reparsed) != actjit::dump(definitions_only))
        std::abort();  // the printer and the parser disagree

    std::string formatted = actjit::format_source(parsed, file);
    actjit::SourceFile formatted_file("formatted.act", formatted);
    actjit::Diagnostics formatted_diagnostics;
    actjit::ParsedFile formatted_parsed = actjit::parse(formatted_file, formatted_diagnostics);
    if (formatted_diagnostics.has_errors() || actjit::dump(formatted_parsed) != actjit::dump(parsed) ||
        comment_texts(formatted_file) != comment_texts(file) ||
        actjit::format_source(formatted_parsed, formatted_file) != formatted)
        std::abort();  // the formatter lost or moved something, or is not a fixed point
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<std::string> parts = split_parts(std::string_view(reinterpret_cast<const char*>(data), size));
    actjit::LoadOptions options;
    options.standard_library = standard_library_path;
    options.error_limit = 0;  // every error rendered (the limit has tests of its own)
    options.read = [&](const std::string& path) -> actjit::ReadText {
        if (path == standard_library_path) return {standard_library(), ""};
        std::string name = path.substr(path.find_last_of('/') + 1);
        if (name == "fuzz.act") return {parts[0], ""};
        for (size_t i = 1; i < parts.size(); ++i)
            if (name == "p" + std::to_string(i) + ".act") return {parts[i], ""};
        return {std::nullopt, "no such part"};
    };
    actjit::FileSet files(options);
    actjit::LoadedFile& root = files.load(actjit::SourceFile("fuzz.act", parts[0]));
    bool errors = false;
    for (actjit::LoadedFile* f : files.files()) {
        (void)actjit::render_all(f->source, f->diagnostics);
        errors = errors || f->diagnostics.has_errors();
    }
    (void)actjit::dump(root.parsed, &root.source);
    for (const actjit::FunctionInfo& f : root.module.functions) (void)actjit::signature(*f.definition);

    // A file with syntax errors may still have checked: its parse alone tells.
    actjit::Diagnostics syntax;
    actjit::ParsedFile syntax_only = actjit::parse(root.source, syntax);
    if (!syntax.has_errors()) check_printers(syntax_only, root.source);

    if (!errors && root.module.functions.size() <= 64) {
        actjit::Program program = actjit::lower(root.parsed, root.module);  // an InternalError aborts: a finding
        for (const actjit::FunctionInfo& info : root.module.functions) {  // used definitions have no body
            const actjit::LoweredFunction& f = *program.find(&info);
            actjit::Gradient g = actjit::gradient(program, f);
            std::vector<actjit::Expr> roots{g.value};
            for (const actjit::Derivative& d : g.derivatives) {
                if (!d.expr) continue;
                (void)actjit::to_source(d.expr, *f.info);
                roots.push_back(d.expr);
            }
            std::vector<double> inputs(f.info->inputs.size(), 0.5), params(f.info->parameters.size(), 1.5);
            (void)actjit::interpret(roots, {inputs, params});
            // What `diff` prints for a reader: tidied, printed with 15 digits.
            for (const actjit::Derivative& d : actjit::readable_gradient(program, f).derivatives)
                if (d.expr) (void)actjit::to_source(d.expr, *f.info, actjit::reader_digits);
        }
    }
    return 0;
}
