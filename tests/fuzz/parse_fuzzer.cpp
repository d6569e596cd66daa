// Fuzzes the front end and the symbolic core with arbitrary bytes: parse, check, render
// every diagnostic, dump the tree; for a file without errors, lower it, take every
// gradient (stabilized, and tidied for a reader), print it and evaluate it once. Beyond "no crash, no hang, no
// sanitizer report, no internal error", it checks one property: a file that parses
// without errors prints (to_source) as text that parses again to the same tree.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "compiler/check.hpp"
#include "compiler/gradient.hpp"
#include "compiler/interpret.hpp"
#include "compiler/lower.hpp"
#include "compiler/print.hpp"
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
    if (!diagnostics.has_errors() && module.functions.size() <= 64) {
        actjit::Program program = actjit::lower(parsed, module);  // an InternalError aborts: a finding
        for (const actjit::LoweredFunction& f : program.functions) {
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
