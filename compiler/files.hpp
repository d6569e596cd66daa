// A .act file and the files it uses (LANGUAGE.md §1, `use std` and `use "file.act"`):
// each read, parsed and checked once, in a home that does not move, so that a module
// can point at the modules it uses and a lowered call at a used file's syntax tree.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "check.hpp"
#include "grammar/read.hpp"

namespace actjit {

struct LoadedFile {
    explicit LoadedFile(SourceFile file) : source(std::move(file)) {}
    SourceFile source;
    Diagnostics diagnostics;
    ParsedFile parsed;
    Module module;
};

struct LoadOptions {
    // The file `use std` names (the installed examples/activations.act); empty when it
    // was not found, and then `standard_library_search` says where it was looked for.
    std::string standard_library;
    std::string standard_library_search;
    size_t error_limit = 20;
    Warnings warnings = Warnings::Show;
    std::vector<std::string> disabled_warnings;
    // Reads a used file; read_text by default (tests and the fuzzer serve their own).
    std::function<ReadText(const std::string& path)> read;
};

// A path from a `use` line: relative to the directory of the file that uses it (or to
// the working directory, for standard input), unless absolute.
std::string resolve_use_path(const std::string& using_file, const std::string& path);

class FileSet {
public:
    explicit FileSet(LoadOptions options);

    // Parses and checks `root` (unless `parse_only`) after every file it uses, however
    // deep; an error in a used file is reported there, and the `use` of it fails too.
    LoadedFile& load(SourceFile root, bool parse_only = false);

    // The files whose diagnostics are the user's, in the order to show them: each used
    // file before the one that uses it, the root last.
    const std::vector<LoadedFile*>& files() const { return order_; }

private:
    LoadedFile& load_file(SourceFile file, const std::string& identity, bool parse_only);
    void resolve_uses(LoadedFile& file, CheckContext& context);
    const Module* standard_library_for_hints();

    LoadOptions options_;
    std::vector<std::unique_ptr<LoadedFile>> owned_;
    std::map<std::string, LoadedFile*> by_identity_;
    std::vector<std::string> chain_;          // identities of the files being loaded, outermost first
    std::vector<LoadedFile*> order_;
    LoadedFile* hidden_standard_library_ = nullptr;  // loaded for hints only, not shown
    bool standard_library_tried_ = false;
};

}  // namespace actjit
