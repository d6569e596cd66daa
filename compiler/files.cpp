#include "files.hpp"

#include <algorithm>
#include <filesystem>
#include <utility>

#include <fmt/format.h>

namespace actjit {

namespace {

namespace fs = std::filesystem;

// The same file, however its path is spelt (`./a.act`, `../x/a.act`).
std::string identity_of(const std::string& path) {
    std::error_code error;
    // Absolute first: of a path none of whose parts exists, weakly_canonical keeps it relative.
    fs::path canonical = fs::weakly_canonical(fs::absolute(path, error), error);
    return error ? path : canonical.string();
}

}  // namespace

std::string resolve_use_path(const std::string& using_file, const std::string& path) {
    fs::path p(path);
    if (p.is_absolute()) return p.lexically_normal().string();
    fs::path base = using_file.empty() || using_file[0] == '<' ? fs::path() : fs::path(using_file).parent_path();
    return (base / p).lexically_normal().string();
}

FileSet::FileSet(LoadOptions options) : options_(std::move(options)) {
    if (!options_.read) options_.read = [](const std::string& path) { return read_text(path, max_file_size); };
}

LoadedFile& FileSet::load(SourceFile root, bool parse_only) {
    std::string name = root.name();
    return load_file(std::move(root), name.empty() || name[0] == '<' ? name : identity_of(name), parse_only);
}

LoadedFile& FileSet::load_file(SourceFile source, const std::string& identity, bool parse_only) {
    owned_.push_back(std::make_unique<LoadedFile>(std::move(source)));
    LoadedFile& file = *owned_.back();
    by_identity_[identity] = &file;
    file.diagnostics.set_limit(options_.error_limit);
    file.diagnostics.set_warnings(options_.warnings);
    for (const std::string& flag : options_.disabled_warnings) file.diagnostics.disable_warning(flag);
    file.parsed = parse(file.source, file.diagnostics);
    chain_.push_back(identity);
    CheckContext context;
    if (!parse_only) resolve_uses(file, context);
    chain_.pop_back();
    // A parse that stopped at the limit leaves definitions out: checking the rest would
    // report what is not wrong.
    if (!parse_only && !file.diagnostics.full()) {
        if (identity != identity_of(options_.standard_library)) context.standard_library = standard_library_for_hints();
        file.module = check(file.parsed, file.diagnostics, context);
    }
    file.module.uses = context.uses;
    file.module.parsed = &file.parsed;
    file.module.source = &file.source;
    order_.push_back(&file);
    return file;
}

void FileSet::resolve_uses(LoadedFile& file, CheckContext& context) {
    std::vector<const Module*>& uses = context.uses;
    auto unavailable = [&](const LoadedFile& failed) {
        for (const ast::Definition& d : failed.parsed.ast.definitions) context.unavailable.push_back(d.name.text);
        for (const std::string& name : failed.parsed.broken_definitions) context.unavailable.push_back(name);
    };
    for (const ast::Use& use : file.parsed.ast.uses) {
        const SourceRange at = file.parsed.range(use);
        std::string path;
        if (use.standard()) {
            if (options_.standard_library.empty()) {
                file.diagnostics.error(at, fmt::format("the standard library is not installed where actjit looks "
                                                       "for it ({})",
                                                       options_.standard_library_search));
                continue;
            }
            path = options_.standard_library;
        } else {
            path = resolve_use_path(file.source.name(), use.path());
        }
        const std::string identity = identity_of(path);
        if (auto cycle = std::find(chain_.begin(), chain_.end(), identity); cycle != chain_.end()) {
            std::string names;
            for (auto it = cycle; it != chain_.end(); ++it) names += by_identity_.at(*it)->source.name() + " -> ";
            file.diagnostics.error(at, fmt::format("'use' makes a cycle: {}{}; a file cannot use itself, even "
                                                   "through others",
                                                   names, by_identity_.at(identity)->source.name()));
            unavailable(*by_identity_.at(identity));
            continue;
        }
        LoadedFile* used = nullptr;
        if (auto it = by_identity_.find(identity); it != by_identity_.end()) {
            used = it->second;
            if (used == hidden_standard_library_) {
                order_.push_back(used);
                hidden_standard_library_ = nullptr;
            }
        } else {
            ReadText read = options_.read(path);
            if (!read.text) {
                file.diagnostics.error(at, fmt::format("cannot use '{}': {}", path, read.error));
                continue;
            }
            used = &load_file(SourceFile(path, std::move(*read.text)), identity, false);
        }
        if (used->diagnostics.has_errors()) {
            file.diagnostics.error(at, fmt::format("'{}' has errors (reported above)", used->source.name()));
            unavailable(*used);
            continue;
        }
        if (std::find(uses.begin(), uses.end(), &used->module) == uses.end()) uses.push_back(&used->module);
    }
}

const Module* FileSet::standard_library_for_hints() {
    if (!standard_library_tried_ && !options_.standard_library.empty()) {
        standard_library_tried_ = true;
        const std::string identity = identity_of(options_.standard_library);
        if (!by_identity_.count(identity)) {
            ReadText read = options_.read(options_.standard_library);
            if (read.text) {
                const std::vector<std::string> chain = std::exchange(chain_, {});
                LoadedFile& loaded = load_file(SourceFile(options_.standard_library, std::move(*read.text)), identity, false);
                chain_ = chain;
                order_.pop_back();
                hidden_standard_library_ = &loaded;
            }
        }
    }
    auto it = by_identity_.find(identity_of(options_.standard_library));
    if (it == by_identity_.end() || it->second->diagnostics.has_errors()) return nullptr;
    return &it->second->module;
}

}  // namespace actjit
