// Fuzzes the front end with arbitrary bytes: parse, check, render every diagnostic,
// dump the tree. Beyond "no crash, no hang, no sanitizer report", it checks one
// property: a file that parses without errors prints (to_source) as text that parses
// again, without errors, to the same tree.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "compiler/check.hpp"
#include "grammar/parse.hpp"
#include "grammar/printer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    actjit::SourceFile file("fuzz.act", std::string(reinterpret_cast<const char*>(data), size));
    actjit::Diagnostics diagnostics;
    actjit::ParsedFile parsed = actjit::parse(file, diagnostics);
    bool syntax_ok = !diagnostics.has_errors();
    actjit::Module module = actjit::check(parsed, diagnostics);
    (void)actjit::render_all(file, diagnostics);
    (void)actjit::dump(parsed, &file);
    for (const actjit::FunctionInfo& f : module.functions) (void)actjit::signature(*f.definition);

    if (syntax_ok) {
        std::string printed;
        for (const actjit::ast::Definition& d : parsed.ast.definitions) printed += actjit::to_source(d) + "\n";
        actjit::SourceFile again("printed.act", printed);
        actjit::Diagnostics again_diagnostics;
        actjit::ParsedFile reparsed = actjit::parse(again, again_diagnostics);
        if (again_diagnostics.has_errors() || actjit::dump(reparsed) != actjit::dump(parsed))
            std::abort();  // the printer and the parser disagree
    }
    return 0;
}
